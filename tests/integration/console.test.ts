// Consoles against a real QEMU guest: tickets, the byte path browser → server → agent →
// VNC, refusals that never reach a VNC byte, take-over, release of connections.
import { execFileSync } from "node:child_process";
import type WebSocket from "ws";
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { Client, ADMIN, startWithAdmin, type TestServer } from "../helpers/server";
import { EventRecorder } from "../helpers/events";
import { ensureOff, guestTo, labSuite, until, virsh } from "../helpers/lab";
import { openConsole, ticket } from "../helpers/console";

const VM = "hangar-test-1";
const VM_OFF = "hangar-test-2";
const closeOf = (ws: WebSocket) =>
  new Promise<{ code: number; reason: string }>((r) => ws.once("close", (code, reason) => r({ code, reason: reason.toString() })));

/** Established TCP connections from the agent process to the guest's VNC port. */
function agentVncConnections(agentPid: number, port: number): number {
  const out = execFileSync("ss", ["-tnpH", "state", "established", "dport", `= :${port}`], { encoding: "utf8" });
  return out.split("\n").filter((l) => l.includes(`pid=${agentPid},`)).length;
}

labSuite("libvirt", "VNC console through Hangar", () => {
  let srv: TestServer;
  let admin: Client;
  let hostId = "";
  let uuid = "";
  let offUuid = "";
  let vncPort = 0;
  const agentPid = () =>
    Number(
      execFileSync("pgrep", ["-f", `agent.mjs --server http://127.0.0.1:${srv.port}`], { encoding: "utf8" })
        .trim()
        .split("\n")[0],
    );

  beforeAll(async () => {
    ensureOff(VM);
    ensureOff(VM_OFF);
    virsh("start", VM);
    ({ srv, admin } = await startWithAdmin({ HANGAR_LOCAL_AGENT: "1", HANGAR_CONSOLE_TICKET_SECONDS: "2" }));
    const row = await until("guest running in inventory", async () =>
      (await admin.req("GET", "/api/machines")).json.rows.find(
        (r: { name: string; state: string; graphics: { port: number }[] }) => r.name === VM && r.state === "running" && r.graphics[0]!.port > 0,
      ),
    );
    hostId = row.hostId;
    uuid = row.uuid;
    vncPort = row.graphics[0].port;
    offUuid = (await admin.req("GET", "/api/machines")).json.rows.find((r: { name: string }) => r.name === VM_OFF).uuid;
  }, 120_000);

  // Whatever the previous test left (a killed agent, a guest restarted by someone), each
  // test starts with the guest running and the other one off, as Hangar shows them.
  beforeEach(async () => {
    await guestTo(VM, "running-ready", admin);
    await guestTo(VM_OFF, "shutoff", admin);
    vncPort = (await admin.req("GET", "/api/machines")).json.rows.find((r: { name: string }) => r.name === VM).graphics[0].port;
  }, 120_000);

  afterAll(async () => {
    await srv?.stop();
    ensureOff(VM);
  });

  it("a ticket opens the guest's VNC server through server and agent", async () => {
    const t = await ticket(admin, hostId, uuid);
    expect(t.status).toBe(200);
    expect(t.json.protocols).toEqual(["hangar.console", `ticket.${t.json.ticket}`]);
    const c = await openConsole(srv.url, admin.cookie, t.json.protocols);
    expect(c.status).toBe(101);
    expect(c.ws!.protocol).toBe("hangar.console");
    // The RFB greeting of QEMU's VNC server, relayed unchanged.
    expect((await c.first!).toString("latin1")).toMatch(/^RFB 003\.00\d\n$/);
    c.ws!.close();
  });

  it("refuses without a ticket, with a reused, expired or foreign ticket, from another origin, after revocation: no VNC byte", async () => {
    expect((await openConsole(srv.url, admin.cookie, ["hangar.console"])).status).toBe(401);

    const used = await ticket(admin, hostId, uuid);
    const first = await openConsole(srv.url, admin.cookie, used.json.protocols);
    expect(first.status).toBe(101);
    first.ws!.close();
    expect((await openConsole(srv.url, admin.cookie, used.json.protocols)).status).toBe(401);

    const expired = await ticket(admin, hostId, uuid);
    await new Promise((r) => setTimeout(r, 2500));
    expect((await openConsole(srv.url, admin.cookie, expired.json.protocols)).status).toBe(401);

    // Another session (another sign-in) cannot use this session's ticket.
    const other = new Client(srv.url);
    await other.req("POST", "/api/auth/login", ADMIN);
    const mine = await ticket(admin, hostId, uuid);
    expect((await openConsole(srv.url, other.cookie, mine.json.protocols)).status).toBe(403);

    const cross = await ticket(admin, hostId, uuid);
    expect((await openConsole(srv.url, admin.cookie, cross.json.protocols, "https://evil.example")).status).toBe(403);

    const revoked = await ticket(other, hostId, uuid);
    const revokedCookie = other.cookie;
    await other.req("POST", "/api/auth/logout");
    expect((await openConsole(srv.url, revokedCookie, revoked.json.protocols)).status).toBe(401);

    expect((await openConsole(srv.url, "", ["hangar.console", "ticket.forged"])).status).toBe(401);
  });

  it("no ticket for a machine that is off, unknown, or with bad input", async () => {
    expect((await ticket(admin, hostId, offUuid)).status).toBe(409);
    expect((await ticket(admin, hostId, "99999999-2222-3333-4444-555555555555")).status).toBe(404);
    const bad = await ticket(admin, hostId, uuid, { kind: "rdp" });
    expect(bad.status).toBe(422);
    expect(bad.json.error.fields.kind).toBeTruthy();
  });

  it("revoking the session closes its open console", async () => {
    const other = new Client(srv.url);
    await other.req("POST", "/api/auth/login", ADMIN);
    const t = await ticket(other, hostId, uuid);
    const c = await openConsole(srv.url, other.cookie, t.json.protocols);
    await c.first;
    const sessions = (await other.req("GET", "/api/sessions")).json.sessions as { id: string; current: boolean }[];
    const closing = closeOf(c.ws!);
    await admin.req("DELETE", `/api/sessions/${sessions.find((s) => s.current)!.id}`);
    expect((await closing).code).toBe(4401);
  });

  it("losing the console permission closes the open console; the next ticket is refused", async () => {
    const created = await admin.req("POST", "/api/users", { username: "ops", password: "another long password", role: "operator" });
    expect(created.status).toBe(201);
    const ops = new Client(srv.url);
    expect((await ops.req("POST", "/api/auth/login", { username: "ops", password: "another long password" })).status).toBe(200);
    const c = await openConsole(srv.url, ops.cookie, (await ticket(ops, hostId, uuid)).json.protocols);
    expect(c.status).toBe(101);
    expect((await c.first!).toString("latin1")).toMatch(/^RFB/);
    const closed = closeOf(c.ws!);
    expect((await admin.req("PATCH", `/api/users/${created.json.user.id}`, { role: "viewer" })).status).toBe(200);
    expect(await closed).toEqual({ code: 4403, reason: "your permission to this console was withdrawn" });
    expect((await ticket(ops, hostId, uuid)).status).toBe(403);
    // Viewers still see the machine.
    expect((await ops.req("GET", `/api/machines/${hostId}/${uuid}`)).status).toBe(200);
  });

  it("a console opened through a tag grant closes when the tag is taken off the VM", async () => {
    const created = await admin.req("POST", "/api/users", { username: "tagops", password: "another long password", role: "none" });
    expect(created.status).toBe(201);
    const grant = { subject: { type: "user", id: created.json.user.id }, role: "operator", scope: { type: "tag", id: "hx-scoperest-console" } };
    expect((await admin.req("POST", "/api/assignments", grant)).status).toBe(201);
    const tagops = new Client(srv.url);
    expect((await tagops.req("POST", "/api/auth/login", { username: "tagops", password: "another long password" })).status).toBe(200);
    expect((await ticket(tagops, hostId, uuid)).status).toBe(403);
    expect((await admin.req("PUT", `/api/machines/${hostId}/${uuid}/tags`, { tags: ["hx-scoperest-console"] })).status).toBe(200);
    const c = await openConsole(srv.url, tagops.cookie, (await ticket(tagops, hostId, uuid)).json.protocols);
    expect(c.status).toBe(101);
    expect((await c.first!).toString("latin1")).toMatch(/^RFB/);
    const closed = closeOf(c.ws!);
    expect((await admin.req("PUT", `/api/machines/${hostId}/${uuid}/tags`, { tags: [] })).status).toBe(200);
    expect(await closed).toEqual({ code: 4403, reason: "your permission to this console was withdrawn" });
    expect((await ticket(tagops, hostId, uuid)).status).toBe(403);
  });

  it("two viewers share a console and see each other; take over closes the other with a reason", async () => {
    const ev = await EventRecorder.open(srv.url, admin.cookie);
    const a = await openConsole(srv.url, admin.cookie, (await ticket(admin, hostId, uuid)).json.protocols);
    await a.first;
    const b = await openConsole(srv.url, admin.cookie, (await ticket(admin, hostId, uuid)).json.protocols);
    await b.first;
    await ev.waitFor("two viewers", (e) => e.type === "console.viewers" && e.uuid === uuid && e.viewers.length === 2);
    const aClosed = closeOf(a.ws!);
    const bClosed = closeOf(b.ws!);
    const c = await openConsole(srv.url, admin.cookie, (await ticket(admin, hostId, uuid, { kind: "vnc", takeover: true })).json.protocols);
    expect(await aClosed).toEqual({ code: 4001, reason: "taken over by admin" });
    expect((await bClosed).code).toBe(4001);
    expect((await c.first!).toString("latin1")).toMatch(/^RFB/);
    c.ws!.close();
    ev.close();
  });

  it("every one of 100 open/close cycles gets the VNC greeting; the agent's VNC connections are released within 5 s", async () => {
    const pid = agentPid();
    for (let i = 0; i < 100; i++) {
      const c = await openConsole(srv.url, admin.cookie, (await ticket(admin, hostId, uuid)).json.protocols);
      // A greeting lost while a socket is handed to the relay process leaves the viewer waiting forever.
      const first = await Promise.race([c.first!, new Promise<null>((r) => setTimeout(() => r(null), 5000))]);
      expect(first?.toString("latin1"), `cycle ${i}`).toMatch(/^RFB 003\.00\d\n$/);
      c.ws!.close();
    }
    const t0 = Date.now();
    await until("VNC connections released", () => agentVncConnections(pid, vncPort) === 0, 5000, 100);
    expect(Date.now() - t0).toBeLessThanOrEqual(5000);
  });

  it("an agent restart closes the console; a new ticket works once the agent is back", async () => {
    const c = await openConsole(srv.url, admin.cookie, (await ticket(admin, hostId, uuid)).json.protocols);
    await c.first;
    const closing = closeOf(c.ws!);
    process.kill(agentPid(), "SIGKILL");
    expect((await closing).code).not.toBe(1000);
    await until("agent back", async () => (await admin.req("GET", `/api/hosts/${hostId}`)).json.host.status === "online", 30_000, 200);
    await until("inventory back", async () => !(await admin.req("GET", "/api/machines")).json.rows[0].stale, 30_000, 200);
    const again = await openConsole(srv.url, admin.cookie, (await ticket(admin, hostId, uuid)).json.protocols);
    expect((await again.first!).toString("latin1")).toMatch(/^RFB/);
    again.ws!.close();
  });
});
