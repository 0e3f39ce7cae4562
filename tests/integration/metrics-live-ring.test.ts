// The live ring of a watched series: a short history query returns the 1 s samples seen
// live (nulls stay null), in order, a repeated sample of one tick once, and 10 s history
// where nothing was watched. Driven by a protocol peer, so timestamps are exact.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HOST_METRICS } from "../../server/protocol/metrics";
import { startWithAdmin, type Client, type TestServer } from "../helpers/server";
import { EventRecorder } from "../helpers/events";
import { PeerAgent } from "../helpers/peer-agent";
import { until } from "../helpers/lab";

const values = (cpu: number | null) => HOST_METRICS.map((n) => (n === "cpu" ? cpu : n === "mem.total" ? 1e9 : 1));

describe("live ring of a watched series", () => {
  let srv: TestServer;
  let admin: Client;
  let peer: PeerAgent;

  beforeAll(async () => {
    ({ srv, admin } = await startWithAdmin());
    peer = await PeerAgent.enroll(admin, "ring-peer");
  });
  afterAll(async () => {
    await peer?.close();
    await srv?.stop();
  });

  it("answers a 5-minute query with the 1 s samples seen live", async () => {
    const series = `host/${peer.hostId}`;
    const rec = await EventRecorder.open(srv.url, admin.cookie);
    rec.ws.send(JSON.stringify({ type: "metrics.subscribe", series: [series] }));
    await rec.waitFor("subscribed", (e) => e.type === "metrics.subscribed");
    const t0 = Math.floor(Date.now() / 1000) * 1000 - 30_000;
    const ts = Array.from({ length: 20 }, (_, i) => t0 + i * 1000);
    for (const [i, t] of ts.entries()) {
      peer.event({ kind: "metrics.samples", coarse: false, samples: [{ target: "host", t, v: values(i === 7 ? null : i) }] });
      // The coarse sample of the same tick must not appear twice.
      if (i === 10) peer.event({ kind: "metrics.samples", coarse: true, samples: [{ target: "host", t, v: values(99) }] });
    }
    await rec.waitFor("last sample", (e) => e.type === "metrics" && e.samples.some((s) => s.t === ts.at(-1)));
    const h = (await admin.req("GET", `/api/metrics/history?series=${encodeURIComponent(series)}&range=5m`)).json;
    expect(h.stepMs).toBe(1000);
    const cpu = h.names.indexOf("cpu");
    const live = ts.map((t) => h.t.indexOf(t));
    expect(live.every((i: number) => i >= 0)).toBe(true);
    expect(live).toEqual([...live].sort((a, b) => a - b));
    expect(live.map((i: number) => h.values[cpu][i])).toEqual(ts.map((_, i) => (i === 7 ? null : i)));
    expect(h.t.filter((t: number) => t === ts[10])).toHaveLength(1);
    // Before the ring starts, the answer is the 10 s grid (nothing there: null).
    expect(h.t[0]).toBeLessThan(t0 - 200_000);
    rec.close();
    await until("nobody watches", () => peer.watches.at(-1)?.length === 0);
  });
});
