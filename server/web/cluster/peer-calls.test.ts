// The one hop between servers over real HTTP on the loopback: PeerCalls (the asking
// server) against InternalRoutes (the holding server) whose hub is scripted here, so a
// call's progress, its agent's error, a cancel and a refused secret can each be driven.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MethodParams } from "../../protocol";
import { AgentCallError, type CallOptions } from "../agents/agent-connection";
import type { AgentHub } from "../agents/hub";
import { CLUSTER_HEADER } from "./internal-auth";
import { InternalRoutes } from "./internal-routes";
import { PeerCalls } from "./peer-calls";

const SECRET = "t".repeat(40);
const UUID = "00000000-0000-4000-8000-000000000001";

/** What the holder's hub does with each call it is asked to run. */
const calls: { method: string; params: unknown }[] = [];
const hub = {
  callLocal(_hostId: string, method: string, params: unknown, _timeoutMs: number, opts: CallOptions): Promise<unknown> {
    calls.push({ method, params });
    if (method === "domain.get") return Promise.reject(new AgentCallError("not_found", "no domain with uuid 1"));
    if (method === "disk.import")
      // Reports progress until cancelled, then settles as the agent would after cleaning up.
      return new Promise((_resolve, reject) => {
        let done = 0;
        const t = setInterval(() => opts.onProgress?.((done += 10), 100), 20);
        opts.signal?.addEventListener("abort", () => {
          clearInterval(t);
          setTimeout(() => reject(new AgentCallError("cancelled", "stopped and cleaned up")), 50);
        });
      });
    opts.onProgress?.(50, 100);
    opts.onProgress?.(100, 100);
    return Promise.resolve({ pools: [] });
  },
} as unknown as AgentHub;

describe("calls between servers (PeerCalls → InternalRoutes)", () => {
  let server: http.Server;
  let url = "";
  const peer = new PeerCalls(SECRET);
  beforeAll(async () => {
    const routes = new InternalRoutes(SECRET, "holder", hub);
    server = http.createServer((req, res) => {
      if (!routes.handle(req, res)) res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it("answers the result, after the agent's progress frames in order", async () => {
    const progress: [number, number | null][] = [];
    const r = await peer.call(url, "h1", "pool.list", {}, 5_000, { onProgress: (d, t) => progress.push([d, t]) });
    expect(r).toEqual({ pools: [] });
    expect(progress).toEqual([
      [50, 100],
      [100, 100],
    ]);
  });

  it("keeps the agent's error code and message", async () => {
    const err = await peer.call(url, "h1", "domain.get", { uuid: UUID }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AgentCallError);
    expect(err).toMatchObject({ code: "not_found", message: "no domain with uuid 1" });
  });

  it("a cancel reaches the holder's call, and the caller still gets the agent's own answer", async () => {
    const ctl = new AbortController();
    const progress: number[] = [];
    const p = peer.call(url, "h1", "disk.import", {} as MethodParams<"disk.import">, 10_000, {
      signal: ctl.signal,
      onProgress: (d) => progress.push(d),
    });
    await new Promise((r) => setTimeout(r, 120));
    ctl.abort();
    const err = await p.catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "cancelled", message: "stopped and cleaned up" });
    expect(progress.length).toBeGreaterThan(1);
  });

  it("refuses a missing (401) or wrong (403) secret before running anything, and unknown methods (400)", async () => {
    const before = calls.length;
    const body = JSON.stringify({ callId: "abcdefgh", hostId: "h1", method: "pool.list", params: {}, timeoutMs: 1000 });
    expect((await fetch(`${url}/internal/agent-call`, { method: "POST", body })).status).toBe(401);
    expect((await fetch(`${url}/internal/agent-call`, { method: "POST", body, headers: { [CLUSTER_HEADER]: "wrong" } })).status).toBe(403);
    const unknown = JSON.stringify({ callId: "abcdefgh", hostId: "h1", method: "rm.rf", params: {}, timeoutMs: 1000 });
    expect((await fetch(`${url}/internal/agent-call`, { method: "POST", body: unknown, headers: { [CLUSTER_HEADER]: SECRET } })).status).toBe(400);
    expect(calls.length).toBe(before);
    // A server without a secret of its own refuses even the right one.
    const bare = http.createServer((req, res) => void new InternalRoutes(null, "bare", hub).handle(req, res));
    await new Promise<void>((r) => bare.listen(0, "127.0.0.1", r));
    const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}`;
    expect((await fetch(`${bareUrl}/internal/inventory`, { headers: { [CLUSTER_HEADER]: SECRET } })).status).toBe(403);
    await new Promise<void>((r) => bare.close(() => r()));
  });
});
