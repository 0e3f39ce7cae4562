// The permission matrix (issue 14): one table (tests/permission-matrix/routes.ts) says what
// every REST route needs; here each built-in role is assigned on each kind of scope (global,
// one host, one VM, one tag) to its own account, and every row is requested by every account,
// on an object inside its scope and on one outside it. "Allowed" is any answer but 401/403:
// the objects do not exist, so an allowed request ends in 404/409/422 without changing
// anything, while a refused one must be 403 before any lookup. The expected answer is worked
// out from the row alone (what the role holds, what the row's target is covered by), not from
// the server's own access code.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, startWithAdmin, type TestServer } from "../helpers/server";
import { ROUTES, SOCKETS, type Row } from "../permission-matrix/routes";
import { tryUpgrade } from "../helpers/ws";
import { permissionsOf, ROLES, type Role } from "../../server/protocol/roles";
import { containerResource, hostResource, machineResource } from "../../server/web/http/params";
import { EventRecorder } from "../helpers/events";
import { labSuite, until } from "../helpers/lab";

type Scope = "global" | "host" | "vm" | "tag";
const SCOPES: Scope[] = ["global", "host", "vm", "tag"];
/** Only fleet-wide grants of these count (the rule restated here, not imported). */
const FLEET_ONLY = new Set(["user.manage", "audit.read", "audit.manage", "alert.manage", "backup.read", "backup.run", "backup.manage"]);

// The objects each scope covers, filled in by beforeAll: a pending host (host scope), two VMs
// of libvirt's test driver on the local agent's host (one assigned by UUID, one tagged) and a
// tagged Podman container. The test driver gives this agent its own private copy of the
// domains, and every body sent is `{}`, so an allowed request ends in 4xx before it acts.
const IN = {
  host: { hostId: "" },
  vm: { hostId: "", uuid: "0a000000-0000-4000-8000-00000000000a" },
  tag: { hostId: "", uuid: "0b000000-0000-4000-8000-00000000000b", id: "" },
};
// What a fleet-wide account asks for: nothing that exists (so nothing is changed).
const FLEET = { hostId: "h-fleet" };
// No such objects: only a fleet-wide grant reaches them.
const OUT = { hostId: "h-other", uuid: "0c000000-0000-4000-8000-00000000000c", id: "0c0c0c0c0c0c" };
const TAG = "matrix";
const CONTAINER = `hx-matrix-${process.pid}`;
const podman = (...a: string[]) => execFileSync("podman", a, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();

function testNode(): string {
  const dom = (name: string, uuid: string) =>
    `<domain type='test'><name>${name}</name><uuid>${uuid}</uuid><memory>65536</memory><vcpu>1</vcpu><os><type>hvm</type></os></domain>`;
  const file = path.join(os.tmpdir(), `hx-matrix-${process.pid}.xml`);
  fs.writeFileSync(
    file,
    `<node><cpu><nodes>1</nodes><sockets>1</sockets><cores>2</cores><threads>1</threads><active>2</active><mhz>2000</mhz><model>x86</model></cpu><memory>4000000</memory>${dom("matrix-vm", IN.vm.uuid)}${dom("matrix-tagged", IN.tag.uuid)}</node>`,
  );
  return file;
}

function routeFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? routeFiles(p) : e.name === "route.ts" ? [p] : [];
  });
}

interface Spec {
  auth?: string;
  permission?: string;
  resource?: unknown;
  scope?: string;
  body?: unknown;
  rawBody?: boolean;
}

async function routeSpecs(): Promise<Map<string, Spec>> {
  const root = path.resolve(import.meta.dirname, "..", "..", "app");
  const specs = new Map<string, Spec>();
  for (const file of routeFiles(path.join(root, "api"))) {
    const mod = (await import(file)) as Record<string, { spec?: Spec }>;
    for (const [method, handler] of Object.entries(mod))
      if (handler?.spec) specs.set(`${method} /${path.relative(root, path.dirname(file))}`, handler.spec);
  }
  return specs;
}

function targetOf(s: Spec): Row["target"] {
  if (s.auth === "none") return "public";
  if (s.permission === "session.manage") return "own";
  if (s.resource === hostResource) return "host";
  if (s.resource === machineResource) return "vm";
  if (s.resource === containerResource) return "container";
  if (s.resource) return "global"; // an unknown resource function: the table must be taught it
  return s.scope === "filtered" ? "filtered" : "global";
}

/** Would `role` on `scope` be allowed this row on an object inside the scope? */
function expectedInside(role: Role, scope: Scope, row: Row): boolean {
  if (row.target === "own") return true;
  if (!permissionsOf(role).includes(row.permission!)) return false;
  if (scope === "global") return true;
  if (FLEET_ONLY.has(row.permission!)) return false;
  switch (row.target) {
    case "filtered":
      return true;
    case "host":
      return scope === "host";
    case "vm":
      return true; // a VM is covered by its host, its UUID and its tags
    case "container":
      return scope === "host" || scope === "tag";
    default:
      return false;
  }
}

/** The request for a row: path parameters filled for `where`, a body that parses nowhere. */
function request(key: string, row: Row, where: { hostId?: string; uuid?: string; id?: string }): { method: string; url: string; body?: unknown } {
  const [method, template] = key.split(" ") as [string, string];
  const defaults: Record<string, string> = {
    hostId: where.hostId ?? OUT.hostId,
    uuid: where.uuid ?? OUT.uuid,
    id: row.target === "container" ? (where.id ?? OUT.id) : "no-such-row",
    userId: "no-such-row",
    imageId: "no-such-image",
    network: "hx-matrix-net",
    pool: "hx-matrix-pool",
    volume: "hx-matrix.qcow2",
    snapshot: "hx-matrix-snap",
  };
  const url = template.replace(/\[(\w+)\]/g, (_, name: string) => {
    if (!(name in defaults)) throw new Error(`${key}: no test value for the path parameter ${name}`);
    return encodeURIComponent(defaults[name]!);
  });
  return { method, url, body: method === "GET" ? undefined : {} };
}

describe("permission table", () => {
  it("has a row for every route, agreeing with the route's own permission and target", async () => {
    const specs = await routeSpecs();
    const missing = [...specs.keys()].filter((k) => !(k in ROUTES));
    const stale = Object.keys(ROUTES).filter((k) => !specs.has(k));
    expect({ missing, stale }).toEqual({ missing: [], stale: [] });
    const disagree = [...specs].flatMap(([k, s]) => {
      const row = ROUTES[k]!;
      const actual = { permission: s.auth === "none" ? undefined : s.permission, target: targetOf(s) };
      return actual.permission === row.permission && actual.target === row.target
        ? []
        : [`${k}: table ${JSON.stringify(row)}, route ${JSON.stringify(actual)}`];
    });
    expect(disagree).toEqual([]);
  });
});

labSuite(["libvirt", "podman"], "permission matrix against the real server", () => {
  let node = "";
  let srv: TestServer;
  let admin: Client;
  const accounts = new Map<string, Client>();

  beforeAll(async () => {
    node = testNode();
    ({ srv, admin } = await startWithAdmin({
      HANGAR_LOCAL_AGENT: "1",
      HANGAR_LIBVIRT_URI: `test://${node}`,
      HANGAR_CONTAINER_SOCKET: process.env.HANGAR_PODMAN_SOCKET ?? "",
    }));
    const pending = await admin.req("POST", "/api/hosts", { name: "matrix-scoped" });
    expect(pending.status, JSON.stringify(pending.json)).toBe(201);
    IN.host.hostId = pending.json.host.id;
    podman("create", "--name", CONTAINER, "localhost/hangar-busybox:latest", "sleep", "1");
    const local = await until("the local agent's VMs and container", async () => {
      const m = (await admin.req("GET", "/api/machines")).json.rows as { uuid: string; hostId: string }[];
      const c = (await admin.req("GET", "/api/containers")).json.rows as { id: string; name: string; hostId: string }[] | undefined;
      const vm = m.find((r) => r.uuid === IN.tag.uuid);
      const ct = c?.find((r) => r.name === CONTAINER);
      return vm && ct && m.some((r) => r.uuid === IN.vm.uuid) ? { hostId: vm.hostId, id: ct.id } : null;
    });
    IN.vm.hostId = IN.tag.hostId = local.hostId;
    IN.tag.id = local.id;
    const tags = await admin.req("PUT", `/api/machines/${IN.tag.hostId}/${IN.tag.uuid}/tags`, { tags: [TAG] });
    expect(tags.status, JSON.stringify(tags.json)).toBe(200);
    const ctags = await admin.req("PUT", `/api/containers/${IN.tag.hostId}/${IN.tag.id}/tags`, { tags: [TAG] });
    expect(ctags.status, JSON.stringify(ctags.json)).toBe(200);
    for (const role of ROLES)
      for (const scope of SCOPES) {
        const username = `m-${role}-${scope}`;
        const u = await admin.req("POST", "/api/users", { username, password: "a long enough password", role: "none" });
        expect(u.status, JSON.stringify(u.json)).toBe(201);
        const a = await admin.req("POST", "/api/assignments", {
          subject: { type: "user", id: u.json.user.id },
          role,
          scope: scope === "global" ? { type: "global" } : { type: scope, id: scope === "host" ? IN.host.hostId : scope === "vm" ? IN.vm.uuid : TAG },
        });
        expect(a.status, JSON.stringify(a.json)).toBe(201);
        const c = new Client(srv.url);
        expect((await c.req("POST", "/api/auth/login", { username, password: "a long enough password" })).status).toBe(200);
        accounts.set(`${role}/${scope}`, c);
      }
  }, 120_000);
  afterAll(async () => {
    await srv?.stop();
    if (node) fs.rmSync(node, { force: true });
    try {
      podman("rm", "-f", CONTAINER);
    } catch {
      /* removed by an allowed DELETE */
    }
  });

  // Before the REST rows: the last of them removes the scoped host, and its assignments with it.
  it("answers every socket kind as the table says, for every role on every scope, inside and outside it", async () => {
    const wrong: string[] = [];
    let asked = 0;
    for (const [key, row] of Object.entries(SOCKETS))
      for (const role of ROLES)
        for (const scope of SCOPES) {
          const c = accounts.get(`${role}/${scope}`)!;
          const inside = scope === "global" ? FLEET : scope === "tag" ? IN.tag : scope === "vm" ? IN.vm : IN.host;
          const cases: [string, { hostId: string; uuid?: string; id?: string }, boolean][] = [["inside", inside, expectedInside(role, scope, row)]];
          if (row.target !== "own") cases.push(["outside", OUT, scope === "global" && permissionsOf(role).includes(row.permission!)]);
          for (const [label, where, allowed] of cases) {
            const answer = await socketAnswer(srv.url, c.cookie, key, where);
            asked++;
            const got = answer !== "forbidden_series" && answer !== "refused";
            if (got !== allowed) wrong.push(`${key} as ${role} on ${scope} (${label}): ${answer}, expected ${allowed ? "allowed" : "refused"}`);
          }
        }
    expect(asked).toBeGreaterThan(80);
    expect(wrong).toEqual([]);
    // And no session, no socket.
    expect((await tryUpgrade(srv.url, "/ws/events", { Origin: srv.url })).ws).toBeFalsy();
  }, 120_000);

  it("answers every row as the table says, for every role on every scope, inside and outside it", async () => {
    const wrong: string[] = [];
    let asked = 0;
    // Removing a host also removes the assignments scoped to it: that row goes last.
    const LAST = "DELETE /api/hosts/[hostId]";
    const rows = Object.entries(ROUTES).sort(([a], [b]) => Number(a === LAST) - Number(b === LAST));
    for (const [key, row] of rows) {
      // Public routes need no account; signing out would end the account's session.
      if (row.target === "public" || key === "POST /api/auth/logout") continue;
      for (const role of ROLES)
        for (const scope of SCOPES) {
          const c = accounts.get(`${role}/${scope}`)!;
          const inside = scope === "global" ? FLEET : scope === "tag" ? IN.tag : scope === "vm" ? IN.vm : IN.host;
          const cases: [string, typeof inside | typeof OUT, boolean][] = [["inside", inside, expectedInside(role, scope, row)]];
          // Outside the scope only a fleet-wide grant reaches an object.
          if (["host", "vm", "container"].includes(row.target))
            cases.push(["outside", OUT, scope === "global" && permissionsOf(role).includes(row.permission!)]);
          for (const [label, where, allowed] of cases) {
            const r = request(key, row, where);
            const res = await c.req(r.method, r.url, r.body);
            asked++;
            const got = res.status !== 401 && res.status !== 403;
            if (got !== allowed) wrong.push(`${key} as ${role} on ${scope} (${label}): ${res.status}, expected ${allowed ? "allowed" : "403"}`);
            if (!got && res.status !== 403) wrong.push(`${key} as ${role} on ${scope} (${label}): ${res.status}, a refusal must be 403`);
          }
        }
    }
    expect(asked).toBeGreaterThan(1000);
    expect(wrong).toEqual([]);
  }, 120_000);
});

/** What the event socket answers for a socket row: "open", or the metric subscription's answer. */
async function socketAnswer(base: string, cookie: string, key: string, where: { hostId: string; uuid?: string; id?: string }): Promise<string> {
  const rec = await EventRecorder.open(base, cookie).catch(() => null);
  if (!rec) return "refused";
  try {
    const kind = /metrics\.subscribe (host|vm|ct)\//.exec(key)?.[1];
    if (!kind) {
      await new Promise((r) => setTimeout(r, 100));
      return rec.ws.readyState === rec.ws.OPEN ? "open" : "refused";
    }
    const series =
      kind === "host"
        ? `host/${where.hostId}`
        : kind === "vm"
          ? `vm/${where.hostId}/${where.uuid ?? OUT.uuid}`
          : `ct/${where.hostId}/${where.id ?? OUT.id}`;
    const from = rec.mark;
    rec.ws.send(JSON.stringify({ type: "metrics.subscribe", series: [series] }));
    const e = await rec.waitFor(key, (x) => x.type === "metrics.subscribed" || x.type === "error", from, 10_000);
    return e.type === "error" ? (e.code ?? "error") : "subscribed";
  } finally {
    rec.close();
  }
}
