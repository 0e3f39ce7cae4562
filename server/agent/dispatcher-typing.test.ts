// Proves the handler table is typed end to end by the protocol: the TypeScript compiler
// checks dispatcher.ts against server/protocol/agent-messages.ts as it is (no error) and
// with one method's params changed in memory (an error in the handler that uses them). If
// the table lost its typing (handlers taking `any`, a cast to a loose record), the changed
// protocol would compile and these tests would fail.
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");
const dispatcherFile = path.join(root, "server/agent/dispatcher.ts");
const protocolFile = path.join(root, "server/protocol/agent-messages.ts");

function compilerOptions(): ts.CompilerOptions {
  const cfg = ts.getParsedCommandLineOfConfigFile(
    path.join(root, "tsconfig.json"),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined },
  );
  if (!cfg) throw new Error("cannot read tsconfig.json");
  return { ...cfg.options, noEmit: true, incremental: false, plugins: [] };
}

const options = compilerOptions();
let previous: ts.Program | undefined;

/** Type errors of dispatcher.ts (and what it imports) with the protocol file's text edited by `edit`. */
function typeErrors(edit: (text: string) => string): { file: string; line: string; message: string }[] {
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.readFile = (f) => (path.resolve(f) === protocolFile ? edit(readFile(f)!) : readFile(f));
  host.getSourceFile = (f, lang, onError, fresh) =>
    path.resolve(f) === protocolFile ? ts.createSourceFile(f, edit(readFile(f)!), lang) : getSourceFile(f, lang, onError, fresh);
  const program = ts.createProgram({ rootNames: [dispatcherFile], options, host, oldProgram: previous });
  previous = program;
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const file = d.file ? path.relative(root, d.file.fileName) : "";
    const line = d.file && d.start !== undefined ? d.file.text.split("\n")[d.file.getLineAndCharacterOfPosition(d.start).line]!.trim() : "";
    return { file, line, message: ts.flattenDiagnosticMessageText(d.messageText, "\n") };
  });
}

/** Replaces exactly one occurrence, so a protocol edit that no longer matches fails loudly. */
function replaceOnce(text: string, from: string, to: string): string {
  expect(text.split(from).length - 1, `"${from}" occurs once in agent-messages.ts`).toBe(1);
  return text.replace(from, to);
}

describe("the agent's handler table follows the protocol's types", () => {
  it("compiles against the protocol as it is", () => {
    expect(typeErrors((t) => t)).toEqual([]);
  }, 120_000);

  it("fails in the domain.get handler when domain.get's param is renamed", () => {
    const errors = typeErrors((t) =>
      replaceOnce(t, `"domain.get": { params: z.strictObject({ uuid: Uuid })`, `"domain.get": { params: z.strictObject({ domainUuid: Uuid })`),
    );
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((e) => e.file === "server/agent/dispatcher.ts")).toBe(true);
    expect(errors.some((e) => e.line.startsWith(`"domain.get":`) && /Property 'uuid' does not exist/.test(e.message))).toBe(true);
  }, 120_000);

  it("fails in the container.logs handler when a param's type changes", () => {
    const errors = typeErrors((t) => replaceOnce(t, "tail: z.number().int().min(1).max(100_000)", "tail: z.string()"));
    expect(errors.length).toBeGreaterThan(0);
    expect(
      errors.some(
        (e) =>
          e.file === "server/agent/dispatcher.ts" &&
          e.line.startsWith(`"container.logs":`) &&
          /'string' is not assignable to parameter of type 'number'/.test(e.message),
      ),
    ).toBe(true);
  }, 120_000);

  it("fails when a method is added to the protocol without a handler", () => {
    const errors = typeErrors((t) =>
      replaceOnce(t, `  "image.list": {`, `  "image.prune": { params: z.strictObject({}), result: z.strictObject({}) },\n  "image.list": {`),
    );
    expect(errors.some((e) => e.file === "server/agent/dispatcher.ts" && /"image\.prune"/.test(e.message))).toBe(true);
  }, 120_000);

  it("fails when a handler's answer no longer matches the result schema", () => {
    const errors = typeErrors((t) =>
      replaceOnce(t, `result: z.strictObject({ image: z.string() })`, `result: z.strictObject({ image: z.number() })`),
    );
    expect(errors.some((e) => e.file === "server/agent/dispatcher.ts" && e.line.startsWith(`"image.pull":`))).toBe(true);
  }, 120_000);
});
