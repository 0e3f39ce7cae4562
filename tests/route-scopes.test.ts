// Scoped access (issue 14): no route hands out fleet data the caller may not see. Every
// route's spec is read: a GET either acts on one object (`resource`, checked there), keeps
// only the caller's rows (`scope: "filtered"`), or needs a permission that only counts
// fleet-wide (users, audit) or is the caller's own (sessions, tokens). A new list route
// without one of these fails here.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ALWAYS, GLOBAL_ONLY } from "../server/protocol/access";
import type { Permission } from "../server/protocol/roles";

function routeFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? routeFiles(p) : e.name === "route.ts" ? [p] : [];
  });
}

type Spec = { auth?: string; permission?: Permission; resource?: unknown; scope?: string };

describe("route scopes", () => {
  it("every GET is per object, filtered, fleet-wide only, or the caller's own", async () => {
    const root = path.resolve(import.meta.dirname, "..", "app", "api");
    const files = routeFiles(root);
    const unscoped: string[] = [];
    const filtered: string[] = [];
    let routes = 0;
    for (const file of files) {
      const mod = (await import(file)) as Record<string, { spec?: Spec }>;
      for (const [method, handler] of Object.entries(mod)) {
        const spec = handler?.spec;
        if (!spec) continue;
        routes++;
        const where = `${method} /api/${path.relative(root, path.dirname(file))}`;
        if (method !== "GET" || spec.auth === "none" || spec.resource) continue;
        if (spec.scope === "filtered") filtered.push(where);
        else if (!spec.permission || !(GLOBAL_ONLY.has(spec.permission) || ALWAYS.has(spec.permission))) unscoped.push(where);
      }
    }
    expect(routes).toBeGreaterThan(80);
    expect(unscoped).toEqual([]);
    // The fleet lists, each filtered row by row (server/web/services/visibility.ts).
    expect(filtered.sort()).toEqual([
      "GET /api/containers",
      "GET /api/dashboard",
      "GET /api/hosts",
      "GET /api/machines",
      "GET /api/metrics/history",
      "GET /api/tasks",
    ]);
  });
});
