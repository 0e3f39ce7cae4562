// The server's side of the agent contract, driven by a hand-written protocol peer: it
// checks enrollment token rules, frame validation and the REST errors around agents.
// (The real agent against real libvirt is tested in agent-libvirt.test.ts.)
import type WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { peerDomain } from "../helpers/peer-agent";
import { Client, startWithAdmin, type TestServer } from "../helpers/server";
import { nextMessage, tryUpgrade } from "../helpers/ws";

const FACTS = {
  hostname: "peer",
  os: "Test OS",
  kernel: "6.1",
  arch: "x64",
  cpuCount: 2,
  cpuModel: "cpu",
  memoryBytes: 1e9,
  libvirtVersion: "9.0.0",
  qemuVersion: "7.2.0",
  kvm: { usable: false, reason: "test" },
};
const UUID = "11111111-2222-3333-4444-555555555555";
const DOMAIN = peerDomain({ uuid: UUID, name: "peer-vm" });

describe("agent endpoint", () => {
  let srv: TestServer;
  let admin: Client;
  let hostId = "";
  let credential = "";
  let peer: WebSocket;
  beforeAll(async () => {
    ({ srv, admin } = await startWithAdmin());
  });
  afterAll(async () => {
    peer?.close();
    await srv.stop();
  });

  it("adds a host with a one-time enrollment command; a wrong or reused token is refused", async () => {
    const created = await admin.req("POST", "/api/hosts", { name: "peer-host" });
    expect(created.status).toBe(201);
    expect(created.json.command).toContain(created.json.enrollToken);
    expect(created.json.host.status).toBe("pending");
    hostId = created.json.host.id;
    expect((await admin.req("POST", "/api/hosts", { name: "peer-host" })).status).toBe(409);

    const agent = new Client(srv.url);
    const wrong = await agent.req("POST", "/api/agent/enroll", { token: "w".repeat(43) });
    expect(wrong.status).toBe(401);
    const ok = await agent.req("POST", "/api/agent/enroll", { token: created.json.enrollToken, facts: FACTS });
    expect(ok.status).toBe(200);
    credential = ok.json.credential;
    const reused = await agent.req("POST", "/api/agent/enroll", { token: created.json.enrollToken });
    expect(reused.status).toBe(401);
    expect((await tryUpgrade(srv.url, "/ws/agent", { Authorization: "Bearer " + "z".repeat(43) })).status).toBe(401);
  });

  it("registers an agent that says hello and reports its inventory", async () => {
    const up = await tryUpgrade(srv.url, "/ws/agent", { Authorization: `Bearer ${credential}` });
    expect(up.status).toBe(101);
    peer = up.ws!;
    peer.send(JSON.stringify({ type: "hello", protocol: 1, agentVersion: "test", facts: FACTS }));
    expect((await nextMessage(peer)).type).toBe("welcome");
    peer.send(JSON.stringify({ type: "event", at: Date.now(), event: { kind: "domain.inventory", domains: [DOMAIN] } }));
    await new Promise((r) => setTimeout(r, 200));
    const hosts = (await admin.req("GET", "/api/hosts")).json.hosts;
    expect(hosts.find((h: { id: string }) => h.id === hostId)).toMatchObject({ status: "online", machineCount: 1, facts: { os: "Test OS" } });
    const machines = (await admin.req("GET", "/api/machines")).json;
    expect(machines.rows).toEqual([expect.objectContaining({ name: "peer-vm", hostName: "peer-host", stale: false })]);
  });

  it("answers malformed and oversized frames with an error, and keeps the connection", async () => {
    peer.send("{not json");
    expect((await nextMessage(peer)).error.code).toBe("invalid_message");
    peer.send(JSON.stringify({ type: "event", at: 1, event: { kind: "domain.changed", cause: "x", domain: { ...DOMAIN, state: "exploded" } } }));
    const bad = await nextMessage(peer);
    expect(bad.error).toMatchObject({ code: "invalid_message" });
    expect(bad.error.message).toContain("state");
    const closed = new Promise<number>((r) => peer.once("close", (c) => r(c)));
    peer.send("x".repeat(5 * 1024 * 1024));
    expect(await closed).toBe(1009); // over the frame limit: the socket is closed, the server lives
    expect((await admin.req("GET", "/api/auth/me")).status).toBe(200);
  });

  it("unknown host or VM → 404; offline host → 503; bad action → 422", async () => {
    expect((await admin.req("GET", `/api/machines/nohost/${UUID}`)).status).toBe(404);
    expect((await admin.req("GET", `/api/machines/${hostId}/not-a-uuid`)).status).toBe(422);
    expect((await admin.req("POST", `/api/machines/${hostId}/${UUID}/actions`, { action: "explode" })).json.error.fields.action).toBeTruthy();
    await new Promise((r) => setTimeout(r, 200));
    // The peer was disconnected above: its machine is stale and actions fail fast.
    const row = (await admin.req("GET", "/api/machines")).json.rows[0];
    expect(row.stale).toBe(true);
    const t0 = Date.now();
    const offline = await admin.req("POST", `/api/machines/${hostId}/${UUID}/actions`, { action: "start" });
    expect(offline.status).toBe(503);
    expect(Date.now() - t0).toBeLessThan(1000);
    expect((await admin.req("POST", `/api/machines/${hostId}/99999999-2222-3333-4444-555555555555/actions`, { action: "start" })).status).toBe(404);
  });

  it("tasks: an action is a Task; a retried POST with the same Idempotency-Key returns the same task; a second action → 409", async () => {
    const up = await tryUpgrade(srv.url, "/ws/agent", { Authorization: `Bearer ${credential}` });
    peer = up.ws!;
    peer.send(JSON.stringify({ type: "hello", protocol: 1, agentVersion: "test", facts: FACTS }));
    await nextMessage(peer);
    peer.send(JSON.stringify({ type: "event", at: Date.now(), event: { kind: "domain.inventory", domains: [DOMAIN] } }));
    await new Promise((r) => setTimeout(r, 100));
    // The peer never answers, so the task stays running: the POST answers 202.
    const key = { "Idempotency-Key": "retry-key-0001" };
    const call = nextMessage(peer);
    const first = await admin.req("POST", `/api/machines/${hostId}/${UUID}/actions`, { action: "start" }, key);
    expect(first.status).toBe(202);
    const req = await call;
    expect(req).toMatchObject({ type: "req", method: "domain.action", params: { uuid: UUID, action: "start" } });
    const again = await admin.req("POST", `/api/machines/${hostId}/${UUID}/actions`, { action: "start" }, key);
    expect(again.json.task.id).toBe(first.json.task.id);
    expect(again.json.replay).toBe(true);
    const conflict = await admin.req("POST", `/api/machines/${hostId}/${UUID}/actions`, { action: "destroy" });
    expect(conflict.status).toBe(409);
    expect(conflict.json.error.message).toContain(first.json.task.id);
    // The agent answers with libvirt's refusal: the task fails with that reason.
    peer.send(
      JSON.stringify({
        type: "res",
        id: req.id,
        ok: false,
        error: { code: "invalid_state", message: "Requested operation is not valid: domain is already running" },
      }),
    );
    await new Promise((r) => setTimeout(r, 200));
    const tasks = (await admin.req("GET", "/api/tasks")).json.tasks;
    expect(tasks[0]).toMatchObject({ id: first.json.task.id, status: "failed", error: expect.stringContaining("already running"), user: "admin" });
    // A fresh action now answers inline with 409 and libvirt's reason.
    const call2 = nextMessage(peer);
    const p = admin.req("POST", `/api/machines/${hostId}/${UUID}/actions`, { action: "suspend" });
    const req2 = await call2;
    peer.send(
      JSON.stringify({
        type: "res",
        id: req2.id,
        ok: false,
        error: { code: "invalid_state", message: "Requested operation is not valid: domain is not running" },
      }),
    );
    const r2 = await p;
    expect(r2.status).toBe(409);
    expect(r2.json.error.message).toContain("domain is not running");
    const audit = (await admin.req("GET", "/api/audit")).json.events.map((e: { action: string }) => e.action);
    expect(audit).toContain("vm.start");
  });

  it("a task in flight when the agent drops becomes unknown, then is reconciled from the inventory", async () => {
    const call = nextMessage(peer);
    const p = admin.req("POST", `/api/machines/${hostId}/${UUID}/actions`, { action: "start" });
    await call;
    expect((await p).status).toBe(202);
    peer.terminate();
    await new Promise((r) => setTimeout(r, 300));
    let tasks = (await admin.req("GET", "/api/tasks")).json.tasks;
    expect(tasks[0].status).toBe("unknown");
    const up = await tryUpgrade(srv.url, "/ws/agent", { Authorization: `Bearer ${credential}` });
    peer = up.ws!;
    peer.send(JSON.stringify({ type: "hello", protocol: 1, agentVersion: "test", facts: FACTS }));
    await nextMessage(peer);
    peer.send(
      JSON.stringify({ type: "event", at: Date.now(), event: { kind: "domain.inventory", domains: [{ ...DOMAIN, state: "running", id: 4 }] } }),
    );
    await new Promise((r) => setTimeout(r, 300));
    tasks = (await admin.req("GET", "/api/tasks")).json.tasks;
    expect(tasks[0]).toMatchObject({ status: "succeeded", kind: "vm.start" });
  });
});
