// Metric history, subscriptions and bad input on the server, driven by a protocol peer so
// timestamps are exact: gaps while a host is offline stay gaps (null, not 0), history
// survives a restart, every bad request gets a clear error.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HOST_METRICS } from "../../server/protocol/metrics";
import { Client, startServer, startWithAdmin, ADMIN, type TestServer } from "../helpers/server";
import { EventRecorder } from "../helpers/events";
import { PeerAgent } from "../helpers/peer-agent";
import { until } from "../helpers/lab";

const hostValues = (cpu: number) => HOST_METRICS.map((n) => (n === "cpu" ? cpu : n === "mem.total" ? 1e9 : 1));

describe("metric history and subscriptions", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hangar-metrics-"));
  const env = { DATABASE_URL: `file:${path.join(dir, "hangar.db")}`, HANGAR_METRICS_TOKEN: "t".repeat(32) };
  let srv: TestServer;
  let admin: Client;
  let peer: PeerAgent;
  // Two runs of coarse samples 10 s apart with a 2-minute hole between them.
  const now = Math.floor(Date.now() / 10_000) * 10_000;
  const before = Array.from({ length: 6 }, (_, i) => now - 300_000 + i * 10_000);
  const after = Array.from({ length: 6 }, (_, i) => now - 120_000 + i * 10_000);

  beforeAll(async () => {
    ({ srv, admin } = await startWithAdmin(env));
    peer = await PeerAgent.enroll(admin, "metrics-peer");
  });
  afterAll(async () => {
    await srv?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("pushes samples only to subscribers, and tells the agent exactly what is watched", async () => {
    const a = await EventRecorder.open(srv.url, admin.cookie);
    const b = await EventRecorder.open(srv.url, admin.cookie);
    const series = `host/${peer.hostId}`;
    a.ws.send(JSON.stringify({ type: "metrics.subscribe", series: [series] }));
    await a.waitFor("subscribed", (e) => e.type === "metrics.subscribed");
    await until("agent told to stream its host", () => peer.watches.at(-1)?.includes("host"));
    peer.event({ kind: "metrics.samples", coarse: false, samples: [{ target: "host", t: Date.now(), v: hostValues(42) }] });
    const got = await a.waitFor("sample", (e) => e.type === "metrics");
    expect(got.type === "metrics" && got.samples[0]).toMatchObject({ series, v: expect.arrayContaining([42]) });
    await new Promise((r) => setTimeout(r, 200));
    expect(b.events.some((e) => e.type === "metrics")).toBe(false);
    a.close();
    await until("agent told nobody watches", () => peer.watches.at(-1)?.length === 0);
    b.close();
  });

  it("keeps coarse samples as history with the offline hole as nulls", async () => {
    const send = (ts: number[], cpu: number) =>
      peer.event({ kind: "metrics.samples", coarse: true, samples: ts.map((t) => ({ target: "host", t, v: hostValues(cpu) })) });
    // Browsers learn by push that fleet summaries moved (the dashboard refetches on it).
    const rec = await EventRecorder.open(srv.url, admin.cookie);
    send(before, 10);
    await rec.waitFor("fleet summary event", (e) => e.type === "metrics.fleet");
    rec.close();
    send(after, 30);
    const h = await until("history", async () => {
      const r = await admin.req("GET", `/api/metrics/history?series=host/${peer.hostId}&range=1h`);
      return r.json.t?.length && r.json.values[0].filter((x: number | null) => x !== null).length >= 12 ? r.json : null;
    });
    expect(h.stepMs).toBe(10_000);
    expect(h.names[0]).toBe("cpu");
    const at = (t: number) => h.values[0][h.t.indexOf(t)];
    expect(at(before[0]!)).toBeCloseTo(10);
    expect(at(after[5]!)).toBeCloseTo(30);
    // The hole between the runs is null, not 0.
    expect(at(now - 200_000)).toBeNull();
    expect(h.values[0].filter((x: number | null) => x === 0)).toHaveLength(0);
  });

  it("rejects unknown series, malformed messages and too many subscriptions on the socket", async () => {
    const r = await EventRecorder.open(srv.url, admin.cookie);
    const err = (from: number) => r.waitFor("error", (e) => e.type === "error", from);
    let m = r.mark;
    r.ws.send(JSON.stringify({ type: "metrics.subscribe", series: ["host/nope"] }));
    expect(await err(m)).toMatchObject({ code: "unknown_series", series: ["host/nope"] });
    m = r.mark;
    r.ws.send(JSON.stringify({ type: "metrics.subscribe", series: ["vm/../../etc"] }));
    expect(await err(m)).toMatchObject({ code: "unknown_series" });
    m = r.mark;
    r.ws.send(JSON.stringify({ type: "metrics.subscribe", series: "host/x" }));
    expect(await err(m)).toMatchObject({ code: "invalid_message", message: expect.stringContaining("series") });
    m = r.mark;
    const many = Array.from({ length: 257 }, (_, i) => `vm/${peer.hostId}/00000000-0000-0000-0000-${String(i).padStart(12, "0")}`);
    r.ws.send(JSON.stringify({ type: "metrics.subscribe", series: many }));
    expect(await err(m)).toMatchObject({ code: "invalid_message" });
    m = r.mark;
    // Within one message's limit, but over the per-socket total across messages.
    const hostSeries = `host/${peer.hostId}`;
    r.ws.send(JSON.stringify({ type: "metrics.subscribe", series: [hostSeries] }));
    await r.waitFor("subscribed", (e) => e.type === "metrics.subscribed", m);
    m = r.mark;
    r.ws.send(JSON.stringify({ type: "metrics.subscribe", series: many.slice(0, 256) }));
    expect(await err(m)).toMatchObject({ code: "too_many_subscriptions" });
    // The socket still works.
    m = r.mark;
    r.ws.send('{"type":"ping"}');
    await r.waitFor("pong", (e) => e.type === "pong", m);
    r.close();
  });

  it("keeps nothing for bad or churning subscriptions: no growth after a storm", async () => {
    const status = async () => (await admin.req("GET", "/api/metrics/status")).json;
    const before = await status();
    const r = await EventRecorder.open(srv.url, admin.cookie);
    const host = `host/${peer.hostId}`;
    for (let i = 0; i < 2000; i++)
      r.ws.send(JSON.stringify({ type: "metrics.subscribe", series: [`vm/${peer.hostId}/00000000-0000-0000-0000-${String(i).padStart(12, "0")}`] }));
    for (let i = 0; i < 300; i++) {
      r.ws.send(JSON.stringify({ type: "metrics.subscribe", series: [host] }));
      r.ws.send(JSON.stringify({ type: "metrics.unsubscribe", series: [host] }));
    }
    r.ws.send('{"type":"ping"}');
    await r.waitFor("all answered", (e) => e.type === "pong", 0, 30_000);
    expect(r.events.filter((e) => e.type === "error" && e.code === "unknown_series")).toHaveLength(2000);
    const during = await status();
    expect(during.subscriptions).toBe(0);
    r.ws.send(JSON.stringify({ type: "metrics.subscribe", series: [host] }));
    await until("subscribed", async () => (await status()).subscriptions === 1);
    r.close();
    const after = await until("released", async () => {
      const s = await status();
      return s.subscribers === 0 && s.watchedSeries === 0 ? s : null;
    });
    expect(after.rings).toBeLessThanOrEqual(before.rings + 1);
    // A generous bound: 2,600 messages must not leave megabytes behind.
    expect(after.rssBytes - before.rssBytes).toBeLessThan(40 * 1024 * 1024);
  });

  it("answers bad history queries with 422 naming the field", async () => {
    const q = (s: string) => admin.req("GET", `/api/metrics/history?${s}`);
    const series = `series=host/${peer.hostId}`;
    expect((await q(`${series}&range=forever`)).status).toBe(422);
    const noBounds = await q(series);
    expect(noBounds.status).toBe(422);
    expect(noBounds.json.error.fields).toHaveProperty("range");
    expect((await q(`${series}&from=2000&to=1000`)).json.error.message).toContain("to must be later");
    expect((await q(`${series}&from=0&to=${Date.now()}`)).json.error.message).toContain("31 days");
    const bad = await q("series=../../etc/passwd&range=1h");
    expect(bad.status).toBe(422);
    expect(bad.json.error.fields).toHaveProperty("series");
    expect((await q("series=host/nohost&range=1h")).status).toBe(404);
  });

  it("exports Prometheus text with a token only", async () => {
    const none = await fetch(`${srv.url}/metrics`);
    expect(none.status).toBe(401);
    const wrong = await fetch(`${srv.url}/metrics`, { headers: { authorization: `Bearer ${"x".repeat(32)}` } });
    expect(wrong.status).toBe(401);
    // A session cookie is not enough.
    expect((await fetch(`${srv.url}/metrics`, { headers: { cookie: admin.cookie } })).status).toBe(401);
    peer.event({ kind: "metrics.samples", coarse: false, samples: [{ target: "host", t: Date.now(), v: hostValues(55.5) }] });
    const text = await until("exported", async () => {
      const r = await fetch(`${srv.url}/metrics`, { headers: { authorization: `Bearer ${env.HANGAR_METRICS_TOKEN}` } });
      const body = await r.text();
      return r.status === 200 && body.includes("hangar_host_cpu_percent") ? body : null;
    });
    expect(text).toContain('hangar_host_up{host="metrics-peer"');
    expect(text).toMatch(/hangar_host_cpu_percent\{host="metrics-peer"\} 55\.5/);
    expect(text).toContain("# TYPE hangar_host_memory_total_bytes gauge");
  });

  it("keeps history across a server restart", async () => {
    await peer.close();
    const code = await srv.stop();
    expect(code).toBe(0);
    srv = await startServer(env);
    admin = new Client(srv.url);
    expect((await admin.req("POST", "/api/auth/login", ADMIN)).status).toBe(200);
    const h = (await admin.req("GET", `/api/metrics/history?series=host/${peer.hostId}&range=1h`)).json;
    const at = (t: number) => h.values[0][h.t.indexOf(t)];
    expect(at(before[2]!)).toBeCloseTo(10);
    expect(at(after[3]!)).toBeCloseTo(30);
    expect(at(now - 200_000)).toBeNull();
  });
});
