// Every object a client or an agent sends is parsed strictly: each route's params, query
// and body schema and every protocol schema is walked, and any object in them (however
// deep: arrays, optionals, unions, records…) that would drop an unknown field is named.
// A new route or message with a plain z.object fails here, not in production.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import * as protocol from "../server/protocol";

type Def = { type: string; [k: string]: unknown };
const defOf = (s: unknown): Def | null => (s as { _zod?: { def?: Def } })?._zod?.def ?? null;

/** Paths (within `name`) of the objects that are not strict. */
function looseObjects(schema: unknown, name: string, seen = new Set<unknown>()): string[] {
  const def = defOf(schema);
  if (!def || seen.has(schema)) return [];
  seen.add(schema);
  const walk = (child: unknown, at: string) => looseObjects(child, at, seen);
  switch (def.type) {
    case "object": {
      const strict = defOf(def.catchall)?.type === "never";
      const shape = (schema as z.ZodObject).shape as Record<string, unknown>;
      return [...(strict ? [] : [name]), ...Object.entries(shape).flatMap(([k, v]) => walk(v, `${name}.${k}`))];
    }
    case "array":
      return walk(def.element, `${name}[]`);
    case "union":
      return (def.options as unknown[]).flatMap((o, i) => walk(o, `${name}|${i}`));
    case "intersection":
      return [...walk(def.left, name), ...walk(def.right, name)];
    case "record":
      return walk(def.valueType, `${name}{}`);
    case "tuple":
      return (def.items as unknown[]).flatMap((o, i) => walk(o, `${name}[${i}]`));
    case "pipe":
      return [...walk(def.in, name), ...walk(def.out, name)];
    case "lazy":
      return walk((def.getter as () => unknown)(), name);
    default:
      // optional, nullable, default, prefault, readonly, catch, nonoptional…
      return "innerType" in def ? walk(def.innerType, name) : [];
  }
}

function routeFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? routeFiles(p) : e.name === "route.ts" ? [p] : [];
  });
}

describe("strict schemas", () => {
  it("the walker finds a loose object, however deep", async () => {
    const { z } = await import("zod");
    expect(looseObjects(z.strictObject({ a: z.array(z.object({ b: z.string() })).optional() }), "x")).toEqual(["x.a[]"]);
    expect(looseObjects(z.object({}), "y")).toEqual(["y"]);
  });

  it("every protocol schema and agent method's params and result", () => {
    const loose: string[] = [];
    for (const [name, value] of Object.entries(protocol)) loose.push(...looseObjects(value, name));
    for (const [m, { params, result }] of Object.entries(protocol.Methods))
      loose.push(...looseObjects(params, `${m}.params`), ...looseObjects(result, `${m}.result`));
    expect(loose).toEqual([]);
  });

  it("every API route's params, query and body", async () => {
    const root = path.resolve(import.meta.dirname, "..", "app", "api");
    const files = routeFiles(root);
    expect(files.length).toBeGreaterThan(20);
    const loose: string[] = [];
    let checked = 0;
    for (const file of files) {
      const mod = (await import(file)) as Record<string, { spec?: Record<string, unknown> }>;
      for (const [method, handler] of Object.entries(mod)) {
        if (!handler?.spec) continue;
        checked++;
        const where = `${path.relative(root, file)} ${method}`;
        for (const part of ["params", "query", "body"]) loose.push(...looseObjects(handler.spec[part], `${where} ${part}`));
      }
    }
    expect(checked).toBeGreaterThan(30);
    expect(loose).toEqual([]);
  });
});
