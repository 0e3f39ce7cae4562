// Benchmark (issue 15 point 1): what the event relay between servers costs. 1, 2 and 3
// real servers on one PostgreSQL database, the lab's agent on the first; a browser-like
// events client on every server. Diskless scratch domains are defined and undefined with
// virsh behind Hangar's back; each change travels libvirtd → agent → server A →
// (LISTEN/NOTIFY) → servers B, C → their clients. Reported per server count: latency from
// the virsh call's return to each client (p50/p95; the event may beat virsh's own exit), the extra hop A → B/C, and server CPU
// per 1,000 events (A, and each other server), from /proc.
// Run: npx tsx bench/replicas-events.ts   (after npm run build and scripts/lab/test-services-up.sh;
//   HANGAR_TEST_PG_URL set). BENCH_CHANGES=200 domains defined then undefined per run.
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { startCluster } from "../tests/helpers/cluster";
import { EventRecorder } from "../tests/helpers/events";
import { until } from "../tests/helpers/lab";
import { undefineScratch } from "../tests/helpers/scratch-domains";
import type { BrowserEvent } from "../server/protocol/browser-events";
import { cpuOf, tree } from "./proc-cpu";
import { pct } from "./stats";

const CHANGES = Number(process.env.BENCH_CHANGES ?? 200);
// Paced, so that latency is the path's and not a backlog's (a burst of virsh calls queues in libvirtd and the agent).
const GAP_MS = Number(process.env.BENCH_GAP_MS ?? 50);
const IDLE_MS = 5000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
// Asynchronous, unlike the tests' virsh(): a blocked event loop would stamp the clients'
// events late.
const run = promisify(execFile);
const virsh = (...args: string[]) => run("virsh", ["-c", "qemu:///system", ...args]);
const XML = path.join(os.tmpdir(), `hx-replicas-bench-${process.pid}.xml`);
const PREFIX = `hx-replicas-bench-${process.pid}-`;
const now = () => performance.timeOrigin + performance.now();

/** The name of the domain a machine event is about, for the events this bench makes. */
function nameOf(e: BrowserEvent, names: Map<string, string>): string | null {
  if (e.type === "machine.upsert") {
    names.set(e.machine.uuid, e.machine.name);
    return e.machine.name;
  }
  if (e.type === "machine.remove") return names.get(e.uuid) ?? null;
  return null;
}

async function bench(n: number): Promise<void> {
  undefineScratch(PREFIX);
  const cluster = await startCluster(n, {}, (i): Record<string, string> => (i === 0 ? { HANGAR_LOCAL_AGENT: "1" } : {}));
  try {
    await until("inventory on A", async () => (await cluster.admin.req("GET", "/api/machines")).json.rows.length > 0, 60_000);
    // Sessions are in the database: the admin's cookie is good on every server.
    const clients = await Promise.all(cluster.servers.map((s) => EventRecorder.open(s.url, cluster.admin.cookie)));
    const pids = cluster.servers.map((s) => s.proc.pid!);
    // Idle use (heartbeats, metrics, the agent's sampling) is measured first and subtracted.
    const idle0 = pids.map((p) => cpuOf(tree(p)));
    await sleep(IDLE_MS);
    const idleRate = pids.map((p, i) => (cpuOf(tree(p)) - idle0[i]!) / IDLE_MS);
    const cpu0 = pids.map((p) => cpuOf(tree(p)));
    const t0 = now();
    const sent = new Map<string, number>(); // "define:<name>" → when virsh returned
    for (let i = 0; i < CHANGES; i++) {
      const name = `${PREFIX}${i}`;
      fs.writeFileSync(
        XML,
        `<domain type='qemu'><name>${name}</name><memory unit='MiB'>32</memory><vcpu>1</vcpu><os><type arch='x86_64'>hvm</type></os><devices></devices></domain>`,
      );
      await virsh("define", XML);
      sent.set(`define:${name}`, now());
      await sleep(GAP_MS);
    }
    for (let i = 0; i < CHANGES; i++) {
      const name = `${PREFIX}${i}`;
      await virsh("undefine", name);
      sent.set(`undefine:${name}`, now());
      await sleep(GAP_MS);
    }
    const want = 2 * CHANGES;
    const seen = (r: EventRecorder) =>
      r.events.filter((e) => (e.type === "machine.upsert" && e.machine.name.startsWith(PREFIX)) || e.type === "machine.remove");
    await until("every client saw every change", () => clients.every((c) => seen(c).length >= want), 60_000, 50);
    const elapsed = now() - t0;
    const raw = pids.map((p, i) => cpuOf(tree(p)) - cpu0[i]!);
    // On a shared 2-core machine the idle rate varies by more than a relay's cost per event:
    // both figures are printed, the raw one being an upper bound.
    const net = raw.map((c, i) => c - idleRate[i]! * elapsed);
    const events = seen(clients[0]!).length;

    const latencies = clients.map(() => [] as number[]);
    const hops = clients.map(() => [] as number[]);
    const firstOnA = new Map<string, number>();
    clients.forEach((c, ci) => {
      const names = new Map<string, string>();
      const done = new Set<string>();
      for (const e of c.events) {
        const name = nameOf(e, names);
        if (!name?.startsWith(PREFIX)) continue;
        const key = `${e.type === "machine.remove" ? "undefine" : "define"}:${name}`;
        if (done.has(key)) continue; // the first event of each change (a define may bring two upserts)
        done.add(key);
        latencies[ci]!.push(e.receivedAt - sent.get(key)!);
        if (ci === 0) firstOnA.set(key, e.receivedAt);
        else if (firstOnA.has(key)) hops[ci]!.push(e.receivedAt - firstOnA.get(key)!);
      }
    });
    const fmt = (v: number[]) => `p50 ${pct(v, 50).toFixed(1)} ms, p95 ${pct(v, 95).toFixed(1)} ms (n=${v.length})`;
    console.log(`\n${n} server(s), ${want} changes, ${events} machine events on A's client`);
    clients.forEach((_, ci) => {
      console.log(`  server ${"ABC"[ci]}: virsh → client ${fmt(latencies[ci]!)}${ci ? `; hop A → ${"ABC"[ci]} ${fmt(hops[ci]!)}` : ""}`);
      const per = (c: number) => ((c / events) * 1000).toFixed(3);
      console.log(`           CPU${ci ? "" : " (with its agent)"} per 1,000 events: ${per(raw[ci]!)} s raw, ${per(net[ci]!)} s less idle`);
    });
    for (const c of clients) c.close();
  } finally {
    await cluster.stop();
    undefineScratch(PREFIX);
  }
}

for (const n of [1, 2, 3]) await bench(n);
fs.rmSync(XML, { force: true });
