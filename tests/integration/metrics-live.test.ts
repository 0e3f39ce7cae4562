// Live metrics from the real agent against a real QEMU guest: a CPU burner started on the
// guest's serial console shows in its CPU series within seconds and disappears when
// stopped; the agent streams a machine every second only while someone watches it.
import fs from "node:fs";
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { HOST_METRICS, VM_METRICS } from "../../server/protocol/metrics";
import type { SeriesSample } from "../../server/protocol/metrics";
import { startWithAdmin, type Client, type TestServer } from "../helpers/server";
import { EventRecorder } from "../helpers/events";
import { ensureOff, guestReady, guestTo, labSuite, until, virsh } from "../helpers/lab";
import { openConsole, ticket } from "../helpers/console";

const VM = "hangar-test-1";
const CPU = VM_METRICS.indexOf("cpu");

labSuite("libvirt", "live metrics from the real agent", () => {
  let srv: TestServer;
  let admin: Client;
  let hostId = "";
  let uuid = "";
  let rec: EventRecorder;
  const samples = (series: string, from = 0): SeriesSample[] =>
    rec.events.slice(from).flatMap((e) => (e.type === "metrics" ? e.samples.filter((s) => s.series === series) : []));

  beforeAll(async () => {
    ensureOff(VM);
    virsh("start", VM);
    ({ srv, admin } = await startWithAdmin({ HANGAR_LOCAL_AGENT: "1" }));
    const row = await until("guest listed", async () =>
      (await admin.req("GET", "/api/machines")).json.rows.find((r: { name: string; state: string }) => r.name === VM && r.state === "running"),
    );
    hostId = row.hostId;
    uuid = row.uuid;
    await until("guest booted", () => guestReady(VM), 60_000, 250);
    rec = await EventRecorder.open(srv.url, admin.cookie);
  }, 120_000);

  // The guest's CPU series needs it running with a shell, whatever the previous test left.
  beforeEach(() => guestTo(VM, "running-ready", admin), 120_000);

  afterAll(async () => {
    rec?.close();
    await srv?.stop();
    ensureOff(VM);
  });

  it("streams host samples every second with per-core detail", async () => {
    const series = `host/${hostId}`;
    const m = rec.mark;
    rec.ws.send(JSON.stringify({ type: "metrics.subscribe", series: [series] }));
    await until("3 host samples", () => samples(series, m).length >= 3, 10_000);
    const s = samples(series, m);
    const last = s.at(-1)!;
    expect(last.t - s.at(-2)!.t).toBeGreaterThanOrEqual(900);
    expect(last.t - s.at(-2)!.t).toBeLessThanOrEqual(1100);
    const cpu = last.v[HOST_METRICS.indexOf("cpu")]!;
    expect(cpu).toBeGreaterThanOrEqual(0);
    expect(cpu).toBeLessThanOrEqual(100);
    const memTotalKiB = Number(/MemTotal:\s+(\d+)/.exec(fs.readFileSync("/proc/meminfo", "utf8"))![1]);
    expect(last.v[HOST_METRICS.indexOf("mem.total")]).toBe(memTotalKiB * 1024);
    expect(last.detail?.cores.length).toBe((await admin.req("GET", `/api/hosts/${hostId}`)).json.host.facts.cpuCount);
    rec.ws.send(JSON.stringify({ type: "metrics.unsubscribe", series: [series] }));
  });

  it("a CPU burner in the guest shows above 50 % within 5 s, and falls when stopped", async () => {
    const series = `vm/${hostId}/${uuid}`;
    const m = rec.mark;
    rec.ws.send(JSON.stringify({ type: "metrics.subscribe", series: [series] }));
    await until("machine samples", () => samples(series, m).filter((s) => s.v[CPU] !== null).length >= 2, 10_000);
    const stats = (await admin.req("GET", `/api/hosts/${hostId}/agent-stats`)).json.stats;
    expect(stats.watched).toContain(`vm:${uuid}`);
    // Memory use needs the guest's balloon driver with statistics; this guest has none,
    // so it is "not reported" (null), never a made-up 100 %.
    expect(samples(series, m).at(-1)!.v[VM_METRICS.indexOf("mem.used")]).toBeNull();
    expect(samples(series, m).at(-1)!.v[VM_METRICS.indexOf("vcpus")]).toBe(1);

    const c = await openConsole(srv.url, admin.cookie, (await ticket(admin, hostId, uuid, { kind: "serial" })).json.protocols);
    await new Promise((r) => setTimeout(r, 300));
    const startedAt = Date.now();
    c.ws!.send(Buffer.from("while :; do :; done &\n"));
    const hot = await until("CPU above 50 %", () => samples(series, m).find((s) => s.t > startedAt && (s.v[CPU] ?? 0) > 50), 5_000, 50);
    expect(hot.t - startedAt).toBeLessThan(5_000);
    const stopAt = Date.now();
    c.ws!.send(Buffer.from("kill $!\n"));
    await until("CPU falls below 20 %", () => samples(series, m).find((s) => s.t > stopAt + 1000 && s.v[CPU] !== null && s.v[CPU]! < 20), 10_000, 50);
    c.ws!.close();
  });

  it("stops streaming a machine every second once nobody watches it", async () => {
    const series = `vm/${hostId}/${uuid}`;
    rec.ws.send(JSON.stringify({ type: "metrics.unsubscribe", series: [series] }));
    await until(
      "agent no longer watches the machine",
      async () => !(await admin.req("GET", `/api/hosts/${hostId}/agent-stats`)).json.stats.watched.includes(`vm:${uuid}`),
      5_000,
    );
    const before = (await admin.req("GET", `/api/hosts/${hostId}/agent-stats`)).json.stats.fineSamples;
    await new Promise((r) => setTimeout(r, 2500));
    const after = (await admin.req("GET", `/api/hosts/${hostId}/agent-stats`)).json.stats.fineSamples;
    expect(after).toBe(before);
  });
});
