// Bundles the custom server (server/web/main.ts) into dist/server.js. Packages stay
// external (they are in node_modules at run time); only our own TypeScript is bundled.
import { build } from "esbuild";

const common = { bundle: true, platform: "node", target: "node20", format: "esm", packages: "external", sourcemap: true, logLevel: "warning" };
await build({
  ...common,
  // console-relay: the lean process that carries console bytes (server/web/console-relay/child.ts).
  entryPoints: { server: "server/web/main.ts", "console-relay": "server/web/console-relay/child.ts" },
  outdir: "dist",
  // ESM output still needs require() for a few CommonJS paths inside bundled code.
  banner: { js: "import { createRequire as __hangarCreateRequire } from 'node:module'; const require = __hangarCreateRequire(import.meta.url);" },
});
console.log("built dist/server.js, dist/console-relay.js");

// The agent: one self-contained file (its dependencies bundled in) so that a host needs
// only Node.js 20 and this file. Optional native add-ons (ws's speed-ups, ssh2's crypto
// binding pulled in by dockerode's modem) stay out: each has a pure-JS fallback. ssh2 itself
// is replaced by a stub (scripts/agent-stubs/ssh2.cjs says why).
await build({
  ...common,
  packages: undefined,
  minify: true,
  entryPoints: { agent: "server/agent/main.ts" },
  outExtension: { ".js": ".mjs" },
  outdir: "dist",
  external: ["bufferutil", "utf-8-validate", "cpu-features", "*.node"],
  alias: { ssh2: "./scripts/agent-stubs/ssh2.cjs" },
  // CommonJS dependencies use require, __filename and __dirname, which ESM lacks.
  banner: {
    js: "import { createRequire as __hangarCreateRequire } from 'node:module'; import { fileURLToPath as __hangarPath } from 'node:url'; import { dirname as __hangarDir } from 'node:path'; const require = __hangarCreateRequire(import.meta.url); const __filename = __hangarPath(import.meta.url); const __dirname = __hangarDir(__filename);",
  },
});
console.log("built dist/agent.mjs");
