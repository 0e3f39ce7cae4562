// Scoped access (issue 14): role assignments to users and groups on a host, a tag or one
// VM, custom roles, tags on VMs and containers. Lists show only what the caller may see,
// actions outside the scope are 403 and inside are carried out; a user grants only what
// they hold; the last full admin stays. Two peer agents stand in for hosts (their VMs and
// containers are what the peer reports; an action reaches the peer, which refuses it).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, startWithAdmin, type TestServer } from "../helpers/server";
import { PeerAgent, peerDomain } from "../helpers/peer-agent";
import { until } from "../helpers/lab";

const PASSWORD = "a long enough password";
const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
const domain = (n: number, name: string) => peerDomain({ uuid: uuid(n), name });
const container = (n: number, name: string) => ({
  id: String(n).repeat(64).slice(0, 64),
  name,
  image: "localhost/mini:latest",
  imageId: "sha256:0",
  command: "sh",
  state: "running",
  status: "Up",
  createdAt: new Date(0).toISOString(),
  ports: [],
  health: null,
});
const A1 = uuid(1);
const A2 = uuid(2);
const B1 = uuid(11);
const B2 = uuid(12);
const CT1 = container(1, "ct-b1");

type Row = { name: string; tags: string[] };
const names = (rows: Row[]) => rows.map((r) => r.name).sort();

describe("scoped access", () => {
  let srv: TestServer;
  let admin: Client;
  let hostA: PeerAgent;
  let hostB: PeerAgent;
  const ids: Record<string, string> = {};
  const as: Record<string, Client> = {};

  async function user(username: string, role = "none") {
    const r = await admin.req("POST", "/api/users", { username, password: PASSWORD, role });
    expect(r.status).toBe(201);
    ids[username] = r.json.user.id;
    as[username] = new Client(srv.url);
    expect((await as[username].req("POST", "/api/auth/login", { username, password: PASSWORD })).status).toBe(200);
    return as[username];
  }
  const assign = (c: Client, subject: { type: string; id: string }, role: string, scope: unknown) =>
    c.req("POST", "/api/assignments", { subject, role, scope });

  beforeAll(async () => {
    ({ srv, admin } = await startWithAdmin());
    hostA = await PeerAgent.enroll(admin, "host-a");
    hostB = await PeerAgent.enroll(admin, "host-b");
    hostA.event({ kind: "domain.inventory", domains: [domain(1, "vm-a1"), domain(2, "vm-a2")] });
    hostB.event({ kind: "domain.inventory", domains: [domain(11, "vm-b1"), domain(12, "vm-b2")] });
    hostB.event({ kind: "container.inventory", engine: null, containers: [CT1, container(2, "ct-b2")] });
    await until("peer rows listed", async () => (await admin.req("GET", "/api/machines")).json.rows.length === 4);
    await until("peer containers listed", async () => (await admin.req("GET", "/api/containers")).json.rows.length === 2);
  });
  afterAll(async () => {
    await hostA?.close();
    await hostB?.close();
    await srv?.stop();
  });

  it("a user with role none sees nothing until assigned", async () => {
    const nobody = await user("nobody");
    expect((await nobody.req("GET", "/api/machines")).status).toBe(403);
    const me = (await nobody.req("GET", "/api/auth/me")).json;
    expect(me.user.role).toBe("none");
    expect(me.grants).toEqual({ global: [], hosts: {}, vms: {}, tags: {} });
  });

  it("a viewer scoped to one host lists only that host's rows and acts on nothing", async () => {
    const vera = await user("vera");
    expect((await assign(admin, { type: "user", id: ids.vera! }, "viewer", { type: "host", id: hostA.hostId })).status).toBe(201);
    expect(names((await vera.req("GET", "/api/machines")).json.rows)).toEqual(["vm-a1", "vm-a2"]);
    const table = (await vera.req("GET", "/api/machines?view=table")).json;
    expect(table.total).toBe(2);
    expect((await vera.req("GET", "/api/containers")).json.rows).toEqual([]);
    const hosts = (await vera.req("GET", "/api/hosts")).json.hosts;
    expect(hosts.map((h: { name: string }) => h.name)).toEqual(["host-a"]);
    const dash = (await vera.req("GET", "/api/dashboard")).json;
    expect(dash.hosts.online).toBe(1);
    expect(dash.machines.stopped).toBe(2);
    expect((await vera.req("GET", `/api/machines/${hostA.hostId}/${A1}`)).status).toBe(200);
    expect((await vera.req("GET", `/api/machines/${hostB.hostId}/${B1}`)).status).toBe(403);
    expect((await vera.req("GET", `/api/hosts/${hostB.hostId}`)).status).toBe(403);
    expect((await vera.req("POST", `/api/machines/${hostA.hostId}/${A1}/actions`, { action: "start" })).status).toBe(403);
    expect((await vera.req("GET", `/api/metrics/history?series=host/${hostA.hostId}&range=1h`)).status).toBe(200);
    const other = await vera.req("GET", `/api/metrics/history?series=vm/${hostB.hostId}/${B1}&range=1h`);
    expect(other.status).toBe(403);
    expect(other.json.error.fields).toEqual({ series: "not yours to read" });
  });

  it("an operator scoped to a tag through a group sees and runs exactly the tagged VM and container", async () => {
    const otto = await user("otto");
    const g = await admin.req("POST", "/api/groups", { name: "web team", description: "runs the web tier" });
    expect(g.status).toBe(201);
    ids.web = g.json.group.id;
    expect((await admin.req("POST", `/api/groups/${ids.web}/members`, { userId: ids.otto })).status).toBe(201);
    expect((await assign(admin, { type: "group", id: ids.web! }, "operator", { type: "tag", id: "web" })).status).toBe(201);
    // Nothing carries the tag yet: an empty list, not a refusal.
    expect((await otto.req("GET", "/api/machines")).json.rows).toEqual([]);
    const tagged = await admin.req("PUT", `/api/machines/${hostB.hostId}/${B1}/tags`, { tags: ["web", "prod", "web"] });
    expect(tagged.status).toBe(200);
    expect(tagged.json.tags).toEqual(["prod", "web"]);
    expect((await admin.req("PUT", `/api/containers/${hostB.hostId}/${CT1.id}/tags`, { tags: ["web"] })).status).toBe(200);

    const rows = (await otto.req("GET", "/api/machines")).json.rows as Row[];
    expect(rows.map((r) => [r.name, r.tags])).toEqual([["vm-b1", ["prod", "web"]]]);
    expect(names((await otto.req("GET", "/api/containers")).json.rows)).toEqual(["ct-b1"]);
    const hosts = (await otto.req("GET", "/api/hosts")).json.hosts;
    expect(hosts.map((h: { name: string; machineCount: number; containerCount: number }) => [h.name, h.machineCount, h.containerCount])).toEqual([
      ["host-b", 1, 1],
    ]);
    expect((await otto.req("GET", "/api/machines?tag=prod")).json.total).toBe(1);
    expect((await otto.req("GET", "/api/tags")).json.tags).toEqual([
      { name: "prod", count: 1 },
      { name: "web", count: 2 },
    ]);

    // Inside the scope: carried out (the peer refuses domain.action, so no 403 but its error).
    const inside = await otto.req("POST", `/api/machines/${hostB.hostId}/${B1}/actions`, { action: "start" });
    expect(inside.status).not.toBe(403);
    expect(inside.json.task ?? inside.json.error).toBeTruthy();
    expect((await otto.req("POST", `/api/machines/${hostB.hostId}/${B2}/actions`, { action: "start" })).status).toBe(403);
    expect((await otto.req("POST", `/api/machines/${hostB.hostId}/${B1}/actions`, { action: "undefine" })).status).toBe(403);
    expect((await otto.req("PUT", `/api/machines/${hostB.hostId}/${B2}/tags`, { tags: ["web"] })).status).toBe(403);
    expect((await otto.req("PUT", `/api/containers/${hostB.hostId}/${container(2, "").id}/tags`, { tags: ["web"] })).status).toBe(403);

    // Tasks: those on what they may read, and their own; not the admin's on another VM.
    await admin.req("POST", `/api/machines/${hostA.hostId}/${A1}/actions`, { action: "start" });
    const tasks = (await otto.req("GET", "/api/tasks")).json.tasks as { targetId: string }[];
    expect(tasks.length).toBeGreaterThan(0);
    expect(tasks.every((t) => t.targetId === B1)).toBe(true);
    expect((await admin.req("GET", "/api/tasks")).json.tasks.some((t: { targetId: string }) => t.targetId === A1)).toBe(true);

    const me = (await otto.req("GET", "/api/auth/me")).json;
    expect(me.grants.tags.web).toEqual(expect.arrayContaining(["vm.power", "vm.console", "container.manage"]));

    // Leaving the group takes it all away at once.
    expect((await admin.req("DELETE", `/api/groups/${ids.web}/members/${ids.otto}`)).status).toBe(200);
    expect((await otto.req("GET", "/api/machines")).status).toBe(403);
    expect((await admin.req("POST", `/api/groups/${ids.web}/members`, { userId: ids.otto })).status).toBe(201);
    expect((await otto.req("GET", "/api/machines")).json.rows).toHaveLength(1);
  });

  it("a custom role on one VM gives exactly its permissions there; an assigned role cannot be deleted", async () => {
    const cora = await user("cora");
    const r = await admin.req("POST", "/api/roles", { name: "console only", permissions: ["vm.console", "vm.read"] });
    expect(r.status).toBe(201);
    expect(r.json.role.permissions).toEqual(["vm.read", "vm.console"]);
    ids.consoleOnly = r.json.role.id;
    expect((await assign(admin, { type: "user", id: ids.cora! }, ids.consoleOnly!, { type: "vm", id: A2 })).status).toBe(201);
    expect(names((await cora.req("GET", "/api/machines")).json.rows)).toEqual(["vm-a2"]);
    expect((await cora.req("GET", `/api/machines/${hostA.hostId}/${A2}`)).status).toBe(200);
    expect((await cora.req("GET", `/api/machines/${hostA.hostId}/${A1}`)).status).toBe(403);
    expect((await cora.req("POST", `/api/machines/${hostA.hostId}/${A2}/actions`, { action: "start" })).status).toBe(403);
    // The console is allowed: refused only because the VM is off (409), not 403.
    expect((await cora.req("POST", `/api/machines/${hostA.hostId}/${A2}/console`, { kind: "vnc" })).status).toBe(409);
    const roles = (await admin.req("GET", "/api/roles")).json.roles as { name: string; builtIn: boolean; assignments: number }[];
    expect(roles.map((x) => [x.name, x.builtIn])).toEqual([
      ["admin", true],
      ["operator", true],
      ["viewer", true],
      ["console only", false],
    ]);
    const del = await admin.req("DELETE", `/api/roles/${ids.consoleOnly}`);
    expect(del.status).toBe(409);
    expect(del.json.error.message).toContain("assigned 1 time");
    // Changing the role changes what it gives, on the next request.
    expect((await admin.req("PATCH", `/api/roles/${ids.consoleOnly}`, { permissions: ["vm.read", "vm.power"] })).status).toBe(200);
    expect((await cora.req("POST", `/api/machines/${hostA.hostId}/${A2}/console`, { kind: "vnc" })).status).toBe(403);
  });

  it("refuses bad input naming the field, and writes nothing", async () => {
    const before = (await admin.req("GET", "/api/assignments")).json.assignments.length;
    const unknownUser = await assign(admin, { type: "user", id: "nobody-here" }, "viewer", { type: "global" });
    expect(unknownUser.status).toBe(404);
    expect(unknownUser.json.error.fields).toEqual({ "subject.id": "unknown user" });
    const unknownGroup = await assign(admin, { type: "group", id: "nope" }, "viewer", { type: "global" });
    expect(unknownGroup.status).toBe(404);
    expect(unknownGroup.json.error.fields).toEqual({ "subject.id": "unknown group" });
    expect((await assign(admin, { type: "user", id: ids.vera! }, "superuser", { type: "global" })).json.error.fields).toEqual({
      role: "unknown role",
    });
    expect((await assign(admin, { type: "user", id: ids.vera! }, "viewer", { type: "host", id: "no-such-host" })).status).toBe(404);
    expect((await assign(admin, { type: "user", id: ids.vera! }, "viewer", { type: "vm", id: uuid(999) })).status).toBe(404);
    const badTag = await assign(admin, { type: "user", id: ids.vera! }, "viewer", { type: "tag", id: "Not A Tag" });
    expect(badTag.status).toBe(422);
    expect(Object.keys(badTag.json.error.fields)).toEqual(["scope.id"]);
    expect((await admin.req("GET", "/api/assignments")).json.assignments.length).toBe(before);
    const badTags = await admin.req("PUT", `/api/machines/${hostA.hostId}/${A1}/tags`, { tags: ["ok", "Bad Tag"] });
    expect(badTags.status).toBe(422);
    expect(JSON.stringify(badTags.json.error.fields)).toContain("tags");
    expect((await admin.req("GET", `/api/machines/${hostA.hostId}/${A1}`)).json.machine.tags).toEqual([]);
    expect((await admin.req("PUT", `/api/machines/${hostA.hostId}/${uuid(998)}/tags`, { tags: ["x"] })).status).toBe(404);
    expect((await admin.req("POST", `/api/groups/${ids.web}/members`, { userId: "ghost" })).json.error.fields).toEqual({ userId: "unknown user" });
    expect((await admin.req("POST", "/api/groups", { name: "web team" })).status).toBe(409);
    expect((await admin.req("POST", "/api/roles", { name: "admin", permissions: ["vm.read"] })).status).toBe(422);
    expect((await admin.req("POST", "/api/roles", { name: "x", permissions: ["vm.fly"] })).status).toBe(422);
  });

  it("grants only what the granter holds, on that scope", async () => {
    const mgr = await user("mgr");
    // A user manager who reads everything and operates host A only.
    const um = await admin.req("POST", "/api/roles", {
      name: "user manager",
      // Everything a viewer holds (granting viewer below needs all of it), alert.read and backup.read included.
      permissions: ["user.manage", "host.read", "vm.read", "container.read", "task.read", "alert.read", "backup.read"],
    });
    expect(um.status, JSON.stringify(um.json)).toBe(201);
    expect((await assign(admin, { type: "user", id: ids.mgr! }, um.json.role.id, { type: "global" })).status).toBe(201);
    expect((await assign(admin, { type: "user", id: ids.mgr! }, "operator", { type: "host", id: hostA.hostId })).status).toBe(201);
    expect((await assign(mgr, { type: "user", id: ids.vera! }, "operator", { type: "host", id: hostA.hostId })).status).toBe(201);
    const elsewhere = await assign(mgr, { type: "user", id: ids.vera! }, "operator", { type: "host", id: hostB.hostId });
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.json.error.message).toContain("vm.power");
    expect((await assign(mgr, { type: "user", id: ids.vera! }, "operator", { type: "tag", id: "web" })).status).toBe(403);
    expect((await assign(mgr, { type: "user", id: ids.vera! }, "admin", { type: "global" })).status).toBe(403);
    expect((await assign(mgr, { type: "user", id: ids.vera! }, "viewer", { type: "global" })).status).toBe(201);
    expect((await mgr.req("PATCH", `/api/users/${ids.vera}`, { role: "admin" })).status).toBe(403);
    expect((await mgr.req("POST", "/api/users", { username: "sneaky", password: PASSWORD, role: "operator" })).status).toBe(403);
    // Joining the web team would hand over operator on tag web, which mgr does not hold.
    expect((await mgr.req("POST", `/api/groups/${ids.web}/members`, { userId: ids.vera })).status).toBe(403);
    expect((await mgr.req("POST", "/api/roles", { name: "power", permissions: ["vm.power"] })).status).toBe(403);
  });

  it("a list of 1,000 VMs filtered to the 20 a user may see is 20 rows", async () => {
    const hostC = await PeerAgent.enroll(admin, "host-c");
    try {
      hostC.event({ kind: "domain.inventory", domains: Array.from({ length: 1000 }, (_, i) => domain(10_000 + i, `bulk-${i}`)) });
      await until("1,000 VMs listed", async () => (await admin.req("GET", "/api/machines?host=" + hostC.hostId + "&limit=1")).json.total === 1000);
      for (let i = 0; i < 20; i++)
        expect((await admin.req("PUT", `/api/machines/${hostC.hostId}/${uuid(10_000 + i * 50)}/tags`, { tags: ["team-x"] })).status).toBe(200);
      const tess = await user("tess");
      expect((await assign(admin, { type: "user", id: ids.tess! }, "viewer", { type: "tag", id: "team-x" })).status).toBe(201);
      const t0 = performance.now();
      const list = (await tess.req("GET", "/api/machines?view=table")).json;
      const ms = performance.now() - t0;
      expect(list.total).toBe(20);
      expect(list.rows).toHaveLength(20);
      expect(list.rows.every((r: Row) => r.tags.includes("team-x"))).toBe(true);
      console.log(`[scoped-access] 1,000 VMs filtered to ${list.total} in ${ms.toFixed(1)} ms`);
      // Removing the host removes its tags (and grants on it) with it.
      expect((await admin.req("DELETE", `/api/hosts/${hostC.hostId}`)).status).toBe(200);
      expect((await admin.req("GET", "/api/tags")).json.tags.map((t: { name: string }) => t.name)).not.toContain("team-x");
      expect((await tess.req("GET", "/api/machines")).json.rows).toEqual([]);
    } finally {
      await hostC.close();
    }
  });

  it("keeps one enabled full admin: by role, by assignment, through a group", async () => {
    const ada = await user("ada");
    const root = await admin.req("POST", "/api/groups", { name: "root" });
    ids.root = root.json.group.id;
    const a = await assign(admin, { type: "group", id: ids.root! }, "admin", { type: "global" });
    expect(a.status).toBe(201);
    expect((await admin.req("POST", `/api/groups/${ids.root}/members`, { userId: ids.ada })).status).toBe(201);
    const adminId = (await admin.req("GET", "/api/auth/me")).json.user.id;
    // ada is a full admin through the group, so the built-in admin may step down.
    expect((await admin.req("PATCH", `/api/users/${adminId}`, { role: "viewer" })).status).toBe(200);
    for (const [method, path] of [
      ["DELETE", `/api/assignments/${a.json.assignment.id}`],
      ["DELETE", `/api/groups/${ids.root}/members/${ids.ada}`],
      ["DELETE", `/api/groups/${ids.root}`],
    ] as const) {
      const r = await ada.req(method, path);
      expect(r.status, path).toBe(409);
      expect(r.json.error.message).toContain("at least one admin");
    }
    expect((await ada.req("PATCH", `/api/users/${adminId}`, { role: "admin" })).status).toBe(200);
    expect((await ada.req("DELETE", `/api/groups/${ids.root}/members/${ids.ada}`)).status).toBe(200);
    expect((await admin.req("DELETE", `/api/groups/${ids.root}`)).status).toBe(200);
    const audit = (await admin.req("GET", "/api/audit?limit=500")).json.events.map((e: { action: string }) => e.action);
    expect(audit).toEqual(
      expect.arrayContaining(["group.create", "group.member.add", "assignment.create", "role.create", "vm.tags", "container.tags"]),
    );
  });
});
