// Scoped rights on every socket (issue 14 point 2), against the real server, agent and
// libvirt: a user whose rights come only from assignments is sent the events and metric
// series of the VMs it may see and nothing of the others (live and replayed), opens no
// console of another VM, and loses an open console, a metric series or its event socket
// within a second of the assignment's removal or the account's disabling. Rights are
// written straight into the database (tests/helpers/access-db.ts), as another server
// process would: the server sees them through its access.generation poll.
import type WebSocket from "ws";
import { afterAll, beforeAll, expect, it } from "vitest";
import { Client, startWithAdmin, type TestServer } from "../helpers/server";
import { guestTo, labSuite, until, virsh } from "../helpers/lab";
import { closed, nextMessage, tryUpgrade } from "../helpers/ws";
import { defineScratch, undefineScratch } from "../helpers/scratch-domains";
import { openConsole, ticket } from "../helpers/console";
import { AccessDb } from "../helpers/access-db";
import type { BrowserEvent } from "../../server/protocol/browser-events";

const PREFIX = "hx-scopesock-";
const SEEN = `${PREFIX}seen`;
const HIDDEN = `${PREFIX}hidden`;
const GUEST = "hangar-test-1";
const PASSWORD = "a long enough password";

type Got = (BrowserEvent & { prev?: number; at: number })[];

/** An events socket recording every message from the first byte. */
async function openEvents(srv: TestServer, cookie: string, query = ""): Promise<{ ws: WebSocket; got: Got }> {
  const r = await tryUpgrade(srv.url, `/ws/events${query}`, { Origin: srv.url, Cookie: cookie });
  if (!r.ws) throw new Error(`events socket refused: ${r.status}`);
  const got: Got = [];
  const ws = r.ws;
  void (async () => {
    for (;;) got.push({ ...((await nextMessage(ws)) as BrowserEvent), at: Date.now() });
  })();
  return { ws, got };
}

const upsertsOf = (got: Got, name: string) => got.filter((e) => e.type === "machine.upsert" && e.machine.name === name);
const anyOf = (got: Got, uuid: string) => got.filter((e) => JSON.stringify(e).includes(uuid));

labSuite("libvirt", "scoped rights on the event, metric and console sockets (real libvirt)", () => {
  let srv: TestServer;
  let admin: Client;
  let sam: Client;
  let samId = "";
  let rights: AccessDb;
  let hostId = "";
  const uuid: Record<string, string> = {};
  let round = 0;

  /** Changes both scratch machines at once, behind Hangar's back (a metadata event each); returns the sockets' marks. */
  const changeBoth = (...sockets: Got[]) => {
    const marks = sockets.map((g) => g.length);
    round++;
    for (const name of [SEEN, HIDDEN]) virsh("desc", name, "--config", `round ${round}`);
    return marks;
  };
  const changed = (got: Got, name: string, mark: number) => () =>
    got.slice(mark).find((e) => e.type === "machine.upsert" && e.machine.uuid === uuid[name]);

  beforeAll(async () => {
    undefineScratch(PREFIX);
    defineScratch(SEEN);
    defineScratch(HIDDEN);
    ({ srv, admin } = await startWithAdmin({ HANGAR_LOCAL_AGENT: "1" }));
    await guestTo(GUEST, "running-ready");
    const rows = await until(
      "inventory",
      async () => {
        const r = (await admin.req("GET", "/api/machines")).json.rows as { name: string; uuid: string; hostId: string; state: string }[];
        return [SEEN, HIDDEN, GUEST].every((n) => r.some((m) => m.name === n && (n !== GUEST || m.state === "running"))) ? r : null;
      },
      60_000,
    );
    for (const r of rows) uuid[r.name] = r.uuid;
    hostId = rows[0]!.hostId;
    const created = await admin.req("POST", "/api/users", { username: "sam", password: PASSWORD, role: "viewer" });
    expect(created.status).toBe(201);
    samId = created.json.user.id;
    rights = new AccessDb(srv.dir);
    // Rights only through assignments: viewer on the tag "team-a", which SEEN carries.
    rights.setRole(samId, "none");
    rights.tag("vm", hostId, uuid[SEEN]!, "team-a");
    rights.assign(samId, "viewer", "tag", "team-a");
    sam = new Client(srv.url);
    expect((await sam.req("POST", "/api/auth/login", { username: "sam", password: PASSWORD })).status).toBe(200);
    // The REST side already sees the rights (the poll ran): SEEN readable, HIDDEN not.
    await until("rights loaded", async () => (await sam.req("GET", `/api/machines/${hostId}/${uuid[SEEN]}`)).status === 200, 5000, 100);
    expect((await sam.req("GET", `/api/machines/${hostId}/${uuid[HIDDEN]}`)).status).toBe(403);
  }, 180_000);

  afterAll(async () => {
    rights?.close();
    await srv?.stop();
    undefineScratch(PREFIX);
  });

  it("a scoped user's socket gets the events of its VM and none of another changed at the same time", async () => {
    const mine = await openEvents(srv, sam.cookie);
    const all = await openEvents(srv, admin.cookie);
    await until("hellos", () => mine.got.length > 0 && all.got.length > 0, 5000, 10);
    const [m, a] = changeBoth(mine.got, all.got);
    await until("admin sees both changes", () => changed(all.got, SEEN, a!)() && changed(all.got, HIDDEN, a!)(), 15_000, 20);
    await until("sam sees its machine's change", changed(mine.got, SEEN, m!), 5000, 20);
    // Give the hidden one the same time again to arrive, were it sent.
    await new Promise((r) => setTimeout(r, 500));
    expect(anyOf(mine.got, uuid[HIDDEN]!)).toEqual([]);
    expect(upsertsOf(mine.got, SEEN).length).toBeGreaterThan(0);
    // The seqs sam gets have gaps (the hidden machine's events); each gap is marked.
    const seqd = mine.got.filter((e) => "seq" in e && e.type !== "hello") as (Got[number] & { seq: number })[];
    const hello = mine.got[0] as Extract<BrowserEvent, { type: "hello" }>;
    let last = hello.seq;
    for (const e of seqd) {
      if (e.seq !== last + 1) expect(e.prev).toBe(last);
      last = e.seq;
    }
    // The admin's events are unchanged: no prev.
    expect(all.got.some((e) => e.prev !== undefined)).toBe(false);
    mine.ws.close();
    all.ws.close();
  });

  it("a resumed socket replays only what the user may see now", async () => {
    const first = await openEvents(srv, sam.cookie);
    await until("hello", () => first.got.length > 0, 5000, 10);
    const hello = first.got[0] as Extract<BrowserEvent, { type: "hello" }>;
    first.ws.close();
    const all = await openEvents(srv, admin.cookie);
    const [a] = changeBoth(all.got);
    await until("admin sees both changes", () => changed(all.got, SEEN, a!)() && changed(all.got, HIDDEN, a!)(), 15_000, 20);
    const back = await openEvents(srv, sam.cookie, `?resume=${hello.epoch}:${hello.seq}`);
    await until("replayed change", changed(back.got, SEEN, 0), 5000, 20);
    expect(back.got[0]).toMatchObject({ type: "hello", resumed: true, seq: hello.seq });
    await new Promise((r) => setTimeout(r, 300));
    expect(anyOf(back.got, uuid[HIDDEN]!)).toEqual([]);
    back.ws.close();
    all.ws.close();
  });

  it("task events go to readers of the task's machine only", async () => {
    const mine = await openEvents(srv, sam.cookie);
    const all = await openEvents(srv, admin.cookie);
    await until("hellos", () => mine.got.length > 0 && all.got.length > 0, 5000, 10);
    // Both off: resume is refused by libvirt, but each task is created (and pushed) first.
    for (const name of [SEEN, HIDDEN]) await admin.req("POST", `/api/machines/${hostId}/${uuid[name]}/actions`, { action: "resume" });
    const finished = (got: Got, name: string) => () =>
      got.find((e) => e.type === "task.upsert" && e.task.targetId === uuid[name] && e.task.status === "failed");
    await until("admin sees both tasks end", () => finished(all.got, SEEN)() && finished(all.got, HIDDEN)(), 15_000, 20);
    await until("sam sees its machine's task", finished(mine.got, SEEN), 5000, 20);
    await new Promise((r) => setTimeout(r, 300));
    expect(anyOf(mine.got, uuid[HIDDEN]!)).toEqual([]);
    mine.ws.close();
    all.ws.close();
  });

  it("metric series of another VM are refused, naming them; its own are subscribed", async () => {
    const s = await openEvents(srv, sam.cookie);
    const hidden = `vm/${hostId}/${uuid[HIDDEN]}`;
    const seen = `vm/${hostId}/${uuid[SEEN]}`;
    s.ws.send(JSON.stringify({ type: "metrics.subscribe", series: [seen, hidden] }));
    const refused = await until("refusal", () => s.got.find((e) => e.type === "error"), 5000, 10);
    expect(refused).toMatchObject({ type: "error", code: "forbidden_series", series: [hidden] });
    // Nothing was subscribed by the refused message; the allowed series alone is.
    s.ws.send(JSON.stringify({ type: "metrics.subscribe", series: [seen] }));
    expect(await until("subscribed", () => s.got.find((e) => e.type === "metrics.subscribed"), 5000, 10)).toMatchObject({ series: [seen] });
    // Not even the host's series: a tag on a VM gives nothing on its host.
    s.ws.send(JSON.stringify({ type: "metrics.subscribe", series: [`host/${hostId}`] }));
    await until("host refused", () => s.got.filter((e) => e.type === "error").length === 2, 5000, 10);
    expect(s.got.filter((e) => e.type === "error")[1]).toMatchObject({ code: "forbidden_series", series: [`host/${hostId}`] });
    s.ws.close();
  });

  it("a console of a VM the user may not open: no ticket, and a ticket taken before the removal is refused", async () => {
    expect((await ticket(sam, hostId, uuid[GUEST]!)).status).toBe(403);
    const id = rights.assign(samId, "operator", "vm", uuid[GUEST]!);
    const t = await until(
      "console right loaded",
      async () => {
        const r = await ticket(sam, hostId, uuid[GUEST]!);
        return r.status === 200 ? r : null;
      },
      5000,
      100,
    );
    rights.unassign(id);
    await until("right gone on REST", async () => (await ticket(sam, hostId, uuid[GUEST]!)).status === 403, 5000, 100);
    const c = await openConsole(srv.url, sam.cookie, t.json.protocols);
    expect(c.status).toBe(403);
    expect(c.ws).toBeUndefined();
  });

  it("removing the assignment closes the open console, and the metric series, within a second", async () => {
    const id = rights.assign(samId, "operator", "vm", uuid[GUEST]!);
    const t = await until(
      "console right loaded",
      async () => {
        const r = await ticket(sam, hostId, uuid[GUEST]!);
        return r.status === 200 ? r : null;
      },
      5000,
      100,
    );
    const c = await openConsole(srv.url, sam.cookie, t.json.protocols);
    expect(c.status).toBe(101);
    expect((await c.first!).toString("latin1")).toMatch(/^RFB/);
    const s = await openEvents(srv, sam.cookie);
    const series = `vm/${hostId}/${uuid[GUEST]}`;
    s.ws.send(JSON.stringify({ type: "metrics.subscribe", series: [series] }));
    await until("subscribed", () => s.got.find((e) => e.type === "metrics.subscribed"), 5000, 10);
    const closing = closed(c.ws!);
    const t0 = Date.now();
    rights.unassign(id);
    const how = await closing;
    const closedMs = Date.now() - t0;
    expect(how).toEqual({ code: 4403, reason: "your permission to this console was withdrawn" });
    expect(closedMs).toBeLessThan(1000);
    const dropped = await until("series dropped", () => s.got.find((e) => e.type === "error" && e.code === "forbidden_series"), 2000, 10);
    expect(dropped).toMatchObject({ series: [series] });
    expect(dropped.at - t0).toBeLessThan(1000);
    // After the drop no sample of it arrives (the guest runs: it has one every second).
    const mark = s.got.length;
    await new Promise((r) => setTimeout(r, 2500));
    expect(s.got.slice(mark).filter((e) => e.type === "metrics")).toEqual([]);
    console.log(`[scope-sockets] console closed ${closedMs} ms, series dropped ${dropped.at - t0} ms after the assignment's removal`);
    s.ws.close();
  });

  it("a Prometheus scrape with the user's API token carries only what the user may read", async () => {
    const t = await sam.req("POST", "/api/tokens", { name: "scrape", permissions: ["host.read", "vm.read"], expiresInDays: 1 });
    expect(t.status, JSON.stringify(t.json)).toBe(201);
    const scrape = async (value: string) => {
      const r = await fetch(`${srv.url}/metrics`, { headers: { Authorization: `Bearer ${value}` } });
      expect(r.status).toBe(200);
      return r.text();
    };
    const mine = await scrape(t.json.value);
    expect(mine).toContain(`uuid="${uuid[SEEN]}"`);
    expect(mine).not.toContain(uuid[HIDDEN]!);
    expect(mine).not.toContain(uuid[GUEST]!);
    // A tag on a VM gives nothing on its host: no host gauge, no host series.
    expect(mine).not.toContain("hangar_host_");
    // The admin's token sees the whole fleet, the same moment.
    const a = await admin.req("POST", "/api/tokens", { name: "scrape", permissions: ["host.read", "vm.read"], expiresInDays: 1 });
    const all = await scrape(a.json.value);
    for (const name of [SEEN, HIDDEN, GUEST]) expect(all).toContain(`uuid="${uuid[name]}"`);
    expect(all).toContain("hangar_host_up");
  });

  it("disabling the user closes its event socket within a second", async () => {
    const s = await openEvents(srv, sam.cookie);
    await until("hello", () => s.got.length > 0, 5000, 10);
    const closing = closed(s.ws);
    const t0 = Date.now();
    expect((await admin.req("PUT", `/api/users/${samId}/status`, { disabled: true })).status).toBe(200);
    const how = await closing;
    expect(how.code).toBe(4401);
    expect(Date.now() - t0).toBeLessThan(1000);
    expect((await sam.req("GET", `/api/machines/${hostId}/${uuid[SEEN]}`)).status).toBe(401);
  });

  it("another process taking the fleet-wide role drops the host series; disabling the account there closes the socket", async () => {
    const created = await admin.req("POST", "/api/users", { username: "dee", password: PASSWORD, role: "viewer" });
    const dee = new Client(srv.url);
    expect((await dee.req("POST", "/api/auth/login", { username: "dee", password: PASSWORD })).status).toBe(200);
    const s = await openEvents(srv, dee.cookie);
    s.ws.send(JSON.stringify({ type: "metrics.subscribe", series: [`host/${hostId}`] }));
    await until("subscribed", () => s.got.find((e) => e.type === "metrics.subscribed"), 5000, 10);
    let t0 = Date.now();
    rights.setRole(created.json.user.id, "none");
    const dropped = await until("series dropped", () => s.got.find((e) => e.type === "error" && e.code === "forbidden_series"), 2000, 10);
    expect(dropped).toMatchObject({ series: [`host/${hostId}`] });
    expect(dropped.at - t0).toBeLessThan(1000);
    // With no rights left, not even the machines' events reach it.
    const [a] = changeBoth(s.got);
    await new Promise((r) => setTimeout(r, 1000));
    expect(s.got.slice(a).filter((e) => e.type === "machine.upsert")).toEqual([]);
    const closing = closed(s.ws);
    t0 = Date.now();
    rights.disable(created.json.user.id);
    expect((await closing).code).toBe(4401);
    expect(Date.now() - t0).toBeLessThan(1000);
  });
});
