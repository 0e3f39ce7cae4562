// Lint, including the architecture's import boundaries (README.md, Layout). A forbidden import
// fails `npm run lint`; tests/lint-boundaries.test.ts proves each rule bites.
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";

const NODE_BUILTINS = [
  "assert",
  "buffer",
  "child_process",
  "crypto",
  "dns",
  "events",
  "fs",
  "fs/promises",
  "http",
  "https",
  "net",
  "os",
  "path",
  "process",
  "stream",
  "tls",
  "url",
  "util",
  "worker_threads",
  "zlib",
];

const restrict = (patterns, message) => patterns.map((group) => ({ group: [group], message }));

export default tseslint.config(
  { ignores: ["node_modules/", ".next/", "dist/", "server/web/db/generated/", "next-env.d.ts", "test-results/", "playwright-report/", ".lab/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
    },
  },
  {
    // Tests read arbitrary JSON responses; typing every body would add nothing.
    files: ["tests/**/*.ts", "e2e/**/*.ts", "bench/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  {
    files: ["components/**/*.{ts,tsx}", "app/**/*.tsx"],
    plugins: { "react-hooks": reactHooks },
    rules: { "react-hooks/rules-of-hooks": "error", "react-hooks/exhaustive-deps": "error" },
  },
  {
    // Browser code: no server internals, no database, no Node built-ins.
    files: ["components/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: NODE_BUILTINS.map((name) => ({ name, message: "components/ runs in the browser: no Node built-ins" })),
          patterns: [
            ...restrict(
              ["**/server/web/**", "@/server/web/**", "**/server/web", "@/server/web"],
              "components/ must not import server/web (the server process)",
            ),
            ...restrict(["**/server/agent/**", "@/server/agent/**"], "components/ must not import server/agent"),
            ...restrict(["@prisma/*", "**/db/generated/**", "prisma"], "components/ must not import Prisma"),
            ...restrict(["node:*"], "components/ runs in the browser: no node:* modules"),
          ],
        },
      ],
    },
  },
  {
    // The wire contract: zod and its own files only.
    files: ["server/protocol/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ regex: "^(?!zod$)(?!\\./)", message: "server/protocol/ may import only zod and its own files" }] },
      ],
    },
  },
  {
    // The agent deploys alone: no Prisma, no Next, nothing of the server process.
    files: ["server/agent/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            ...restrict(["**/server/web/**", "@/server/web/**", "../web/**", "../../web/**"], "server/agent/ must not import server/web"),
            ...restrict(["@prisma/*", "prisma", "**/db/generated/**"], "server/agent/ must not import Prisma"),
            ...restrict(["next", "next/*", "react", "react-dom"], "server/agent/ must not import Next or React"),
            ...restrict(["**/components/**", "@/components/**"], "server/agent/ must not import UI code"),
          ],
        },
      ],
    },
  },
  {
    // The server process never imports UI or agent code.
    files: ["server/web/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            ...restrict(["**/components/**", "@/components/**"], "server/web/ must not import components/"),
            ...restrict(
              ["**/server/agent/**", "@/server/agent/**", "../agent/**", "../../agent/**"],
              "server/web/ must not import server/agent (talk to agents over the protocol)",
            ),
          ],
        },
      ],
    },
  },
  {
    // Routes parse, call one service verb (server/web/services/) and answer; pages read
    // through the same verbs. So nothing under app/ reaches the database or writes audit
    // rows itself: no Prisma client, no server/web/db, no audit module, no `.db` member,
    // no call of a function named audit.
    files: ["app/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            // One group per message: a path matching two patterns is reported once.
            {
              group: [
                "@prisma/*",
                "prisma",
                "**/db/generated/**",
                "**/server/web/db/**",
                "@/server/web/db/**",
                "**/server/web/db",
                "@/server/web/db",
              ],
              message: "app/ must not import Prisma or server/web/db: put the database work in a server/web/services/ verb",
            },
            { group: ["**/server/web/audit", "@/server/web/audit"], message: "app/ must not write audit rows: the server/web/services/ verb audits" },
          ],
        },
      ],
      "no-restricted-syntax": [
        "error",
        { selector: "MemberExpression[property.name='db']", message: "app/ must not query the database (svc.db): call a server/web/services/ verb" },
        { selector: "CallExpression[callee.name='audit']", message: "app/ must not call audit(): the server/web/services/ verb audits" },
      ],
    },
  },
  {
    // The console relay process stays lean, since its small heap is the point of it
    // (server/web/console-relay/child.ts): ws, Node built-ins, the console contract and
    // its own files. This also keeps out components/ and server/agent/.
    files: ["server/web/console-relay/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "^(?!ws$)(?!node:)(?!\\./)(?!\\.\\./\\.\\./protocol/console$)",
              message: "server/web/console-relay/ may import only ws, node:*, ../../protocol/console and its own files",
            },
          ],
        },
      ],
    },
  },
);
