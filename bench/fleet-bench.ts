// Benchmark (issue 15 acceptance): a simulated fleet (bench/fleet/fleet.ts, real agent
// processes on libvirt's test driver) of --agents × --vms against 1, 2 and 3 servers on one
// PostgreSQL, a fresh database for each server count. Reported per server count:
//  - event latency: a machine action through the REST API of the server holding its agent
//    → the machine.upsert with the new state on an events client of EVERY server (p50/p95);
//  - REST inventory: GET /api/machines?view=table on each server, the one page of up to
//    5,000 rows the machines page fetches (p50/p95), with each server's row count and total
//    (before the inventory mirror a server lists only its own agents' machines);
//  - server CPU per 1,000 events (machine events each server's client received during the
//    actions), raw and less the idle rate measured just before, from /proc;
//  - agent RSS (per process) and the machine's load.
// Run: npx tsx bench/fleet-bench.ts [--agents 200] [--vms 50] [--servers 1,2,3] [--actions 300]
//   [--rate 10] [--via home|rr]   (after npm run build; lab up; HANGAR_TEST_PG_URL set)
//   Small mode, under a minute: --agents 20 --vms 10 --actions 100.
//   --via rr sends action k through server k mod n (needs the server-to-server hop).
import fs from "node:fs";
import os from "node:os";
import { parseArgs } from "node:util";
import { startCluster, type Cluster } from "../tests/helpers/cluster";
import { EventRecorder } from "../tests/helpers/events";
import { until } from "../tests/helpers/lab";
import { Fleet, signedIn, type FleetAgent } from "./fleet/fleet";
import { cpuOf, tree } from "./proc-cpu";
import { pct } from "./stats";

const { values: args } = parseArgs({
  options: {
    agents: { type: "string", default: "200" },
    vms: { type: "string", default: "50" },
    servers: { type: "string", default: "1,2,3" },
    actions: { type: "string", default: "300" },
    rate: { type: "string", default: "10" },
    via: { type: "string", default: "home" },
    "inventory-rounds": { type: "string", default: "20" },
  },
});
const AGENTS = Number(args.agents);
const VMS = Number(args.vms);
const COUNTS = args.servers.split(",").map(Number);
const ACTIONS = Math.min(Number(args.actions), AGENTS * VMS);
const GAP_MS = 1000 / Number(args.rate);
const ROUNDS = Number(args["inventory-rounds"]);
const PREFIX = "hx-fleet-bench-";
/**
 * One agent's private memory with 50-100 test domains, for the guard: RSS is 82-106 MiB, but
 * ~42 MiB of it are the node binary's pages that all agents share (45-50 MiB private measured
 * 2026-12-04 with the ssh2 stub and KubeVirt loaded only when configured).
 */
const AGENT_MIB = 60;
/** Left for the servers, PostgreSQL, this process and whatever else shares the machine. */
const MARGIN_MIB = 3072;
// A whole agent sampling period (history every 10 s): a shorter window swings with it.
const IDLE_MS = 10_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const fmt = (v: number[], unit = "ms") => `p50 ${pct(v, 50).toFixed(1)} ${unit}, p95 ${pct(v, 95).toFixed(1)} ${unit} (n=${v.length})`;

/** Busy and total jiffies of the whole machine (every core), from /proc/stat. */
function machineTicks(): { busy: number; total: number } {
  const f = fs.readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = f.reduce((a, b) => a + b, 0);
  return { busy: total - f[3]! - f[4]!, total }; // less idle and iowait
}

function memAvailableMiB(): number {
  const m = /MemAvailable:\s+(\d+) kB/.exec(fs.readFileSync("/proc/meminfo", "utf8"));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** Refuses a fleet that would not fit in memory, naming the largest one that would. */
function memoryGuard(): void {
  const avail = memAvailableMiB();
  const need = AGENTS * AGENT_MIB + MARGIN_MIB;
  if (need > avail) {
    const fits = Math.floor((avail - MARGIN_MIB) / AGENT_MIB);
    throw new Error(
      `${AGENTS} agents need ~${(need / 1024).toFixed(1)} GiB (${AGENT_MIB} MiB each + ${MARGIN_MIB} MiB margin); ` +
        `${(avail / 1024).toFixed(1)} GiB available: at most ${fits} agents fit now`,
    );
  }
}

interface Sent {
  agent: FleetAgent;
  uuid: string;
  state: "paused" | "running";
  at: number;
}

async function bench(n: number): Promise<void> {
  memoryGuard();
  const t0 = Date.now();
  const cluster: Cluster = await startCluster(n);
  let fleet: Fleet | null = null;
  const clients: EventRecorder[] = [];
  try {
    const urls = cluster.servers.map((s) => s.url);
    const on = urls.map((u) => signedIn(cluster.admin, u));
    fleet = await Fleet.start({ servers: urls, admin: cluster.admin, agents: AGENTS, vmsPerAgent: VMS, prefix: PREFIX });
    const up = await fleet.online(600_000);
    // Every server lists at least the machines of the agents it holds.
    const own = urls.map((u) => fleet!.agents.filter((a) => a.home === u).length * VMS);
    const totals = await until(
      "inventory on every server",
      async () => {
        const t = await Promise.all(on.map(async (c) => (await c.req("GET", "/api/machines?view=table&limit=1")).json.total as number));
        return t.every((x, i) => x >= own[i]!) ? t : null;
      },
      600_000,
      500,
    );
    const rss = fleet.rss();
    const mine = fleet.privateMemory();
    console.log(
      `\n${n} server(s), ${AGENTS} agents × ${VMS} VMs: all online in ${((Date.now() - t0) / 1000).toFixed(1)} s ` +
        `(agents per server ${up.byServer.join("/")}); machines listed per server ${totals.join("/")}`,
    );
    console.log(
      `  agent RSS: p50 ${pct(rss, 50).toFixed(0)} MiB, max ${Math.max(...rss).toFixed(0)} MiB; private p50 ${pct(mine, 50).toFixed(0)} MiB, ` +
        `max ${Math.max(...mine).toFixed(0)} MiB, sum ${(mine.reduce((a, b) => a + b, 0) / 1024).toFixed(1)} GiB; ` +
        `MemAvailable ${(memAvailableMiB() / 1024).toFixed(1)} GiB; load ${os
          .loadavg()
          .map((l) => l.toFixed(1))
          .join(" ")}`,
    );

    clients.push(...(await Promise.all(urls.map((u) => EventRecorder.open(u, cluster.admin.cookie)))));
    // The fleet's start-up settles (resyncs, first metric samples of every agent).
    await sleep(Math.min(15_000, 2000 + AGENTS * 50));
    const pids = cluster.servers.map((s) => s.proc.pid!);
    const idle0 = pids.map((p) => cpuOf(tree(p)));
    await sleep(IDLE_MS);
    const idleRate = pids.map((p, i) => (cpuOf(tree(p)) - idle0[i]!) / IDLE_MS);

    // Actions, paced: machine k of the fleet (agent k mod N first, so all servers take part),
    // suspended; each machine gets one action, so its first matching upsert is the answer.
    const marks = clients.map((c) => c.mark);
    const cpu0 = pids.map((p) => cpuOf(tree(p)));
    const m0 = machineTicks();
    const w0 = performance.now();
    const sent: Sent[] = [];
    const refused: string[] = [];
    const posts: Promise<void>[] = [];
    for (let k = 0; k < ACTIONS; k++) {
      const agent = fleet.agents[k % AGENTS]!;
      const uuid = agent.uuids[Math.floor(k / AGENTS) % VMS]!;
      const via = args.via === "rr" ? on[k % n]! : on[urls.indexOf(agent.home)]!;
      const s: Sent = { agent, uuid, state: "paused", at: Date.now() };
      sent.push(s);
      posts.push(
        via.req("POST", `/api/machines/${agent.hostId}/${uuid}/actions`, { action: "suspend" }).then((r) => {
          if (r.status !== 200 && r.status !== 202) refused.push(`${r.status} ${JSON.stringify(r.json).slice(0, 200)}`);
        }),
      );
      await sleep(GAP_MS);
    }
    await Promise.all(posts);
    if (refused.length) throw new Error(`${refused.length} of ${ACTIONS} actions refused, e.g. ${refused[0]}`);

    const key = (hostId: string, uuid: string) => `${hostId}/${uuid}`;
    const firstSeen = (c: EventRecorder, from: number) => {
      const m = new Map<string, number>();
      for (const e of c.events.slice(from))
        if (e.type === "machine.upsert" && e.machine.state === "paused" && !m.has(key(e.machine.hostId, e.machine.uuid)))
          m.set(key(e.machine.hostId, e.machine.uuid), e.receivedAt);
      return m;
    };
    await until("every client saw every change", () => clients.every((c, i) => firstSeen(c, marks[i]!).size >= ACTIONS), 120_000, 100);
    const elapsed = performance.now() - w0;
    const raw = pids.map((p, i) => cpuOf(tree(p)) - cpu0[i]!);
    const net = raw.map((c, i) => c - idleRate[i]! * elapsed);
    const m1 = machineTicks();
    const busy = ((m1.busy - m0.busy) / (m1.total - m0.total)) * 100;
    clients.forEach((c, i) => {
      const seen = firstSeen(c, marks[i]!);
      const lat = sent.map((s) => seen.get(key(s.agent.hostId, s.uuid))! - s.at);
      const events = c.events.slice(marks[i]).filter((e) => e.type === "machine.upsert" || e.type === "machine.remove").length;
      const per = (x: number) => ((x / events) * 1000).toFixed(3);
      console.log(`  server ${"ABC"[i]}: REST action → machine.upsert on its client ${fmt(lat)}`);
      console.log(`            CPU per 1,000 events (${events} machine events): ${per(raw[i]!)} s raw, ${per(net[i]!)} s less idle`);
    });
    const all = clients.flatMap((c, i) => {
      const seen = firstSeen(c, marks[i]!);
      return sent.map((s) => seen.get(key(s.agent.hostId, s.uuid))! - s.at);
    });
    const events0 = clients[0]!.events.slice(marks[0]).filter((e) => e.type === "machine.upsert" || e.type === "machine.remove").length;
    const sum = (v: number[]) => v.reduce((a, b) => a + b, 0);
    console.log(
      `  all clients: ${fmt(all)}; ${ACTIONS} actions in ${(elapsed / 1000).toFixed(1)} s; machine busy ${busy.toFixed(0)}% of ${os.cpus().length} cores`,
    );
    console.log(
      `  all servers together, CPU per 1,000 events: ${((sum(raw) / events0) * 1000).toFixed(3)} s raw, ${((sum(net) / events0) * 1000).toFixed(3)} s less idle`,
    );

    // Inventory: the machines page's one request, on each server in turn.
    for (const [i, c] of on.entries()) {
      const times: number[] = [];
      let rows = 0;
      let total = 0;
      for (let r = 0; r < ROUNDS + 3; r++) {
        const t = performance.now();
        const res = await c.req("GET", "/api/machines?view=table");
        if (r >= 3) times.push(performance.now() - t); // the first three warm up
        rows = res.json.rows.length;
        total = res.json.total;
      }
      console.log(`  server ${"ABC"[i]}: GET /api/machines?view=table ${fmt(times)}; ${rows} rows of ${total}`);
    }
  } finally {
    for (const c of clients) c.close();
    await fleet?.stop();
    await cluster.stop();
  }
}

console.log(
  `# fleet benchmark: ${AGENTS} agents × ${VMS} VMs, servers ${COUNTS.join(",")}, ${ACTIONS} actions at ${args.rate}/s, ${os.cpus().length} cores`,
);
for (const n of COUNTS) await bench(n);
