// Strict input: a field (or query parameter) Hangar does not know is refused with a 422
// naming it, and nothing is done: no user, no task, no session revoked, no agent call, no
// subscription. The same for websocket messages from browsers and frames from agents.
// (Defect: extra fields were dropped silently and the request carried out, e.g.
// POST /api/users with "isRoot": true created the user.)
import type WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN, Client, startWithAdmin, type TestServer } from "../helpers/server";
import { PEER_FACTS, PeerAgent, peerDomain } from "../helpers/peer-agent";
import { closed, nextMessage, tryUpgrade } from "../helpers/ws";
import { domState, ensureOff, until, labSuite } from "../helpers/lab";
import { collectText, openConsole } from "../helpers/console";

const UUID = "11111111-2222-3333-4444-555555555555";
const DOMAIN = peerDomain({ uuid: UUID, name: "peer-vm" });

describe("strict input (REST, /ws/events, agent frames)", () => {
  let srv: TestServer;
  let admin: Client;
  let peer: PeerAgent;
  /** A host only ever deleted with a refused parameter. */
  let doomed = "";
  /** Every method the server called on the peer agent. */
  const called: string[] = [];

  beforeAll(async () => {
    ({ srv, admin } = await startWithAdmin());
    peer = await PeerAgent.enroll(admin, "peer-host");
    peer.ws.on("message", (d) => {
      const f = JSON.parse(String(d)) as { type: string; method?: string };
      if (f.type === "req" && f.method) called.push(f.method);
    });
    peer.event({ kind: "domain.inventory", domains: [DOMAIN] });
    await until("peer machine listed", async () => (await admin.req("GET", "/api/machines")).json.rows.length === 1);
    doomed = (await admin.req("POST", "/api/hosts", { name: "doomed-host" })).json.host.id;
  });
  afterAll(async () => {
    await peer?.close();
    await srv?.stop();
  });

  const count = async (path: string, key: string) => ((await admin.req("GET", path)).json[key] as unknown[]).length;
  const written = async () => ({
    users: await count("/api/users", "users"),
    tasks: await count("/api/tasks", "tasks"),
    sessions: await count("/api/sessions", "sessions"),
    hosts: await count("/api/hosts", "hosts"),
    audit: await count("/api/audit?limit=500", "events"),
  });

  const cases: { name: string; method: string; path: () => string; body?: unknown; field: string }[] = [
    {
      name: "a new user with isRoot",
      method: "POST",
      path: () => "/api/users",
      body: { username: "mallory", password: "a long enough password", role: "viewer", isRoot: true },
      field: "isRoot",
    },
    {
      name: "a VM action with evil",
      method: "POST",
      path: () => `/api/machines/${peer.hostId}/${UUID}/actions`,
      body: { action: "start", evil: 1 },
      field: "evil",
    },
    {
      name: "a nested unknown field",
      method: "POST",
      path: () => `/api/containers/${peer.hostId}`,
      body: { image: "busybox:latest", ports: [{ hostPort: 8080, containerPort: 80, evil: 1 }] },
      field: "ports.0.evil",
    },
    { name: "a sign-in with an extra field", method: "POST", path: () => "/api/auth/login", body: { ...ADMIN, remember: true }, field: "remember" },
    { name: "a host with an extra field", method: "POST", path: () => "/api/hosts", body: { name: "other-host", owner: "me" }, field: "owner" },
    { name: "a body to enrollment renewal", method: "POST", path: () => `/api/hosts/${peer.hostId}/enrollment`, body: { ttl: 999999 }, field: "ttl" },
    { name: "an unknown query parameter", method: "GET", path: () => "/api/audit?limit=5&evil=1", field: "evil" },
    { name: "a query parameter to a route that takes none", method: "GET", path: () => "/api/hosts?all=1", field: "all" },
    { name: "an unknown query parameter on a delete", method: "DELETE", path: () => `/api/hosts/${doomed}?cascade=1`, field: "cascade" },
  ];

  for (const c of cases) {
    it(`${c.name} → 422 naming ${c.field}, nothing written or called`, async () => {
      const before = await written();
      const calls = called.length;
      const r = await admin.req(c.method, c.path(), c.body);
      expect(r.status, JSON.stringify(r.json)).toBe(422);
      expect(r.json.error.fields?.[c.field], JSON.stringify(r.json)).toBe("unknown field");
      expect(r.json.error.message).toContain(c.field);
      expect(await written()).toEqual(before);
      expect(called.slice(calls)).toEqual([]);
    });
  }

  it("a role change with an extra field changes no role; a sign-out or a session revocation with an unknown field revokes nothing", async () => {
    const created = await admin.req("POST", "/api/users", { username: "ops", password: "another long password", role: "operator" });
    expect(created.status).toBe(201);
    const patch = await admin.req("PATCH", `/api/users/${created.json.user.id}`, { role: "viewer", admin: true });
    expect(patch.status).toBe(422);
    expect(patch.json.error.fields.admin).toBe("unknown field");
    const users = (await admin.req("GET", "/api/users")).json.users as { username: string; role: string }[];
    expect(users.find((u) => u.username === "ops")?.role).toBe("operator");

    const other = new Client(srv.url);
    expect((await other.req("POST", "/api/auth/login", ADMIN)).status).toBe(200);
    const sessions = (await other.req("GET", "/api/sessions")).json.sessions as { id: string; current: boolean }[];
    const id = sessions.find((s) => s.current)!.id;
    const del = await admin.req("DELETE", `/api/sessions/${id}?all=1`);
    expect(del.status).toBe(422);
    expect(del.json.error.fields.all).toBe("unknown field");
    expect((await other.req("GET", "/api/auth/me")).status).toBe(200);
    // A body sent to a route that takes none.
    const out = await other.req("POST", "/api/auth/logout", { everywhere: true });
    expect(out.status).toBe(422);
    expect(out.json.error.fields.everywhere).toBe("unknown field");
    expect((await other.req("GET", "/api/auth/me")).status).toBe(200);
  });

  it("an enrollment with an unknown fact is refused and the token stays usable", async () => {
    const created = await admin.req("POST", "/api/hosts", { name: "strict-host" });
    const agent = new Client(srv.url);
    const bad = await agent.req("POST", "/api/agent/enroll", { token: created.json.enrollToken, facts: { ...PEER_FACTS, evil: 1 } });
    expect(bad.status).toBe(422);
    expect(bad.json.error.fields["facts.evil"]).toBe("unknown field");
    expect((await admin.req("GET", `/api/hosts/${created.json.host.id}`)).json.host.status).toBe("pending");
    expect((await agent.req("POST", "/api/agent/enroll", { token: created.json.enrollToken, facts: PEER_FACTS })).status).toBe(200);
  });

  it("/ws/events: a ping or a subscription with an unknown field gets an error naming it, no pong, no subscription", async () => {
    const up = await tryUpgrade(srv.url, "/ws/events", { Origin: srv.url, Cookie: admin.cookie });
    const ws = up.ws!;
    expect((await nextMessage(ws)).type).toBe("hello");
    ws.send(JSON.stringify({ type: "ping", evil: 1 }));
    const e1 = await nextMessage(ws);
    expect(e1).toMatchObject({ type: "error", code: "invalid_message", fields: { evil: "unknown field" } });
    expect(e1.message).toContain("evil");
    ws.send(JSON.stringify({ type: "metrics.subscribe", series: [`host/${peer.hostId}`], evil: 1 }));
    const e2 = await nextMessage(ws);
    expect(e2).toMatchObject({ type: "error", fields: { evil: "unknown field" } });
    expect((await admin.req("GET", "/api/metrics/status")).json.subscriptions).toBe(0);
    // The socket still serves well-formed messages: the next answer is this pong (none came for the bad ping).
    ws.send(JSON.stringify({ type: "ping" }));
    expect((await nextMessage(ws)).type).toBe("pong");
    ws.close();
  });

  it("agent frames: an unknown field in an event or a hello is refused, naming it, and changes nothing", async () => {
    const before = (await admin.req("GET", "/api/machines")).json.rows;
    const frames: unknown[] = [];
    peer.ws.on("message", (d) => frames.push(JSON.parse(String(d))));
    peer.event({ kind: "domain.changed", cause: "x", domain: { ...DOMAIN, name: "renamed", evil: 1 } });
    peer.ws.send(JSON.stringify({ type: "event", at: Date.now(), event: { kind: "domain.removed", uuid: UUID, name: "peer-vm" }, extra: true }));
    const errors = await until("two error frames", () => {
      const e = frames.filter((f) => (f as { type: string }).type === "error") as { error: { code: string; message: string } }[];
      return e.length >= 2 ? e : null;
    });
    expect(errors[0]!.error.code).toBe("invalid_message");
    expect(errors[0]!.error.message).toContain("event.domain.evil: unknown field");
    expect(errors[1]!.error.message).toContain("extra: unknown field");
    expect((await admin.req("GET", "/api/machines")).json.rows).toEqual(before);

    // A hello with an unknown fact gets no welcome.
    const created = await admin.req("POST", "/api/hosts", { name: "hello-host" });
    const enrolled = await new Client(srv.url).req("POST", "/api/agent/enroll", { token: created.json.enrollToken });
    const up = await tryUpgrade(srv.url, "/ws/agent", { Authorization: `Bearer ${enrolled.json.credential}` });
    up.ws!.send(
      JSON.stringify({
        type: "hello",
        protocol: 1,
        agentVersion: "peer",
        facts: { ...PEER_FACTS, kvm: { usable: true, reason: null, nested: true } },
      }),
    );
    const reply = await nextMessage(up.ws!);
    expect(reply).toMatchObject({ type: "error", error: { code: "invalid_message" } });
    expect(reply.error.message).toContain("facts.kvm.nested: unknown field");
    expect((await admin.req("GET", `/api/hosts/${created.json.host.id}`)).json.host).toMatchObject({ facts: null, agentVersion: "" });
    up.ws!.close();
  });
});

labSuite("libvirt", "strict input against a real guest", () => {
  const VM = "hangar-test-2";
  let srv: TestServer;
  let admin: Client;

  beforeAll(async () => {
    ensureOff(VM);
    ({ srv, admin } = await startWithAdmin({ HANGAR_LOCAL_AGENT: "1" }));
    await until(
      "guest listed",
      async () => (await admin.req("GET", "/api/machines")).json.rows.find((r: { name: string; stale: boolean }) => r.name === VM && !r.stale),
      60_000,
    );
  }, 120_000);
  afterAll(async () => {
    await srv?.stop();
    ensureOff(VM);
  });

  it('POST …/actions {"action":"start","evil":1} → 422; the guest stays off and no task is created', async () => {
    const row = (await admin.req("GET", "/api/machines")).json.rows.find((r: { name: string }) => r.name === VM);
    const tasks = (await admin.req("GET", "/api/tasks")).json.tasks.length;
    const r = await admin.req("POST", `/api/machines/${row.hostId}/${row.uuid}/actions`, { action: "start", evil: 1 });
    expect(r.status, JSON.stringify(r.json)).toBe(422);
    expect(r.json.error.fields.evil).toBe("unknown field");
    expect((await admin.req("GET", "/api/tasks")).json.tasks.length).toBe(tasks);
    expect(domState(VM)).toBe("shut off");
  });
});

const SOCKET = process.env.HANGAR_PODMAN_SOCKET ?? "";

labSuite("podman", "strict console control messages (exec in a real container)", () => {
  const IMAGE = "localhost/hangar-busybox:latest";
  let srv: TestServer;
  let admin: Client;
  let hostId = "";
  let id = "";

  beforeAll(async () => {
    ({ srv, admin } = await startWithAdmin({ HANGAR_LOCAL_AGENT: "1", HANGAR_CONTAINER_SOCKET: SOCKET }));
    const host = await until(
      "engine reported",
      async () => (await admin.req("GET", "/api/hosts")).json.hosts.find((h: { engine: { kind: string } | null }) => h.engine?.kind === "podman"),
      30_000,
    );
    hostId = host.id;
    const r = await admin.req("POST", `/api/containers/${hostId}`, {
      name: "hangar-it-strict",
      image: IMAGE,
      cmd: ["sh", "-c", "trap 'exit 0' TERM; while :; do sleep 1; done"],
    });
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    id = r.json.container.id;
  }, 120_000);
  afterAll(async () => {
    if (id) await admin.req("DELETE", `/api/containers/${hostId}/${id}?force=1`);
    await srv?.stop();
  });

  it("a resize with an unknown field closes the shell with 4422 naming it, and the TTY keeps its size", async () => {
    const t = await admin.req("POST", `/api/containers/${hostId}/${id}/console`, { kind: "exec", cols: 100, rows: 30 });
    expect(t.status, JSON.stringify(t.json)).toBe(200);
    const c = await openConsole(srv.url, admin.cookie, t.json.protocols);
    expect(c.status).toBe(101);
    const ws = c.ws as WebSocket;
    const out = collectText(ws);
    ws.send(Buffer.from("stty size\n"));
    await until("exec output", () => out.text().includes("30 100"), 15_000);
    const closing = closed(ws);
    ws.send(JSON.stringify({ type: "resize", cols: 120, rows: 40, evil: 1 }));
    const why = await Promise.race([closing, new Promise<null>((r) => setTimeout(() => r(null), 10_000))]);
    expect(why).toEqual({ code: 4422, reason: "evil: unknown field" });
    expect(out.text()).not.toContain("40 120");
  });
});
