// Benchmarks for live metrics (issue 6), each with a baseline measured in the same run:
//  (a) agent CPU and RSS sampling 1,000 domains at 1 Hz (libvirt test driver through the
//      real libvirtd) against the same agent when nobody watches, and `virsh domstats`;
//  (b) server fan-out of 1 Hz samples of 200 series to 50 websocket clients: server CPU
//      and delivery latency p95, against one client;
//  (c) 24 h history query of one series, p95, from memory and after a restart (from the
//      database), against a trivial authenticated request.
// Run: npx tsx bench/metrics.ts   (after npm run build and scripts/lab/libvirt-up.sh)
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { HOST_METRICS } from "../server/protocol/metrics";
import { ADMIN, Client, startServer, startWithAdmin } from "../tests/helpers/server";
import { EventRecorder } from "../tests/helpers/events";
import { PeerAgent } from "../tests/helpers/peer-agent";
import { until } from "../tests/helpers/lab";
import { writeTestNode } from "./test-domains";
import { cpuPercent, pct, rssMiB, summary } from "./stats";

const N = Number(process.env.BENCH_DOMAINS ?? 1000);
const WINDOW_MS = Number(process.env.BENCH_WINDOW_MS ?? 15_000);

const agentPid = (port: number) =>
  Number(
    execFileSync("pgrep", ["-f", `agent.mjs --server http://127.0.0.1:${port}`], { encoding: "utf8" })
      .trim()
      .split("\n")[0],
  );

/** `sockets` clients each watching all of `series` (spread over several sockets past the per-socket limit). */
async function subscribeAll(url: string, cookie: string, series: string[], sockets: number): Promise<EventRecorder[]> {
  const out: EventRecorder[] = [];
  for (let i = 0; i < sockets; i++) {
    for (let j = 0; j < series.length; j += 250) {
      const r = await EventRecorder.open(url, cookie);
      r.ws.send(JSON.stringify({ type: "metrics.subscribe", series: series.slice(j, j + 250) }));
      out.push(r);
    }
  }
  return out;
}

async function agentAndFanout(file: string) {
  const { srv, admin } = await startWithAdmin({ HANGAR_LOCAL_AGENT: "1", HANGAR_LIBVIRT_URI: `test://${file}` });
  try {
    const rows = await until(
      "inventory",
      async () => {
        const r = (await admin.req("GET", "/api/machines?limit=5000")).json;
        return r.total >= N ? (r.rows as { hostId: string; uuid: string; name: string }[]) : null;
      },
      60_000,
      200,
    );
    const hostId = rows[0]!.hostId;
    const agent = agentPid(srv.port);
    const server = srv.proc.pid!;
    await new Promise((r) => setTimeout(r, 3000));

    // (a) agent: nobody watching (coarse history tick every 10 s only), then all N at 1 Hz.
    const idleCpu = await cpuPercent(agent, WINDOW_MS);
    const idleRss = rssMiB(agent);
    const all = rows.map((r) => `vm/${hostId}/${r.uuid}`);
    const watchers = await subscribeAll(srv.url, admin.cookie, all, 1);
    await until("agent watches all", async () => (await admin.req("GET", `/api/hosts/${hostId}/agent-stats`)).json.stats.watched.length >= N, 15_000);
    await new Promise((r) => setTimeout(r, 2000));
    const busyCpu = await cpuPercent(agent, WINDOW_MS);
    const busyRss = rssMiB(agent);
    const stats = (await admin.req("GET", `/api/hosts/${hostId}/agent-stats`)).json.stats;
    for (const w of watchers) w.close();
    const domstats: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      execFileSync("virsh", ["-c", `test+unix://${file}`, "domstats"], { stdio: "ignore", maxBuffer: 64 * 1024 * 1024 });
      domstats.push(performance.now() - t0);
    }
    console.log(`(a) agent sampling ${N} domains (test driver: state group only)`);
    console.log(`    nobody watching: CPU ${idleCpu.toFixed(2)} % of one core, RSS ${idleRss.toFixed(1)} MiB`);
    console.log(
      `    all ${N} at 1 Hz:  CPU ${busyCpu.toFixed(2)} % of one core, RSS ${busyRss.toFixed(1)} MiB, last tick ${stats.lastTickMs} ms (goal < 3 %)`,
    );
    console.log(
      `    ratio 1 Hz / idle CPU: ${(busyCpu / Math.max(idleCpu, 0.01)).toFixed(1)}x; ${summary("virsh domstats (one call, process spawn)", domstats)}`,
    );

    // (b) fan-out: 200 series to 1 client (baseline), then to 50 clients.
    const two = all.slice(0, 200);
    const run = async (clients: number) => {
      await new Promise((r) => setTimeout(r, 1500));
      const recs = await subscribeAll(srv.url, admin.cookie, two, clients);
      await until("all subscribed", () => recs.every((r) => r.events.some((e) => e.type === "metrics.subscribed")), 15_000);
      await new Promise((r) => setTimeout(r, 2000));
      const from = recs.map((r) => r.mark);
      const cpu = await cpuPercent(server, WINDOW_MS);
      const lat: number[] = [];
      const coarse: number[] = [];
      let samples = 0;
      recs.forEach((r, i) => {
        for (const e of r.events.slice(from[i])) {
          if (e.type !== "metrics") continue;
          for (const s of e.samples) {
            lat.push(e.receivedAt - s.t);
            // The tick on a 10 s boundary also samples every domain for history.
            if (s.t % 10_000 < 1000) coarse.push(e.receivedAt - s.t);
            samples++;
          }
        }
      });
      for (const r of recs) r.close();
      return { cpu, lat, coarse, rate: samples / (WINDOW_MS / 1000) };
    };
    const one = await run(1);
    const fifty = await run(50);
    console.log(`(b) server fan-out, 200 series at 1 Hz`);
    console.log(
      `    1 client:   server CPU ${one.cpu.toFixed(2)} %, ${one.rate.toFixed(0)} samples/s delivered, ${summary("latency sample → client", one.lat)}`,
    );
    console.log(
      `    50 clients: server CPU ${fifty.cpu.toFixed(2)} %, ${fifty.rate.toFixed(0)} samples/s delivered, ${summary("latency sample → client", fifty.lat)}`,
    );
    console.log(
      `    of which on history ticks (every 10 s, all ${N} domains sampled): ${summary("1 client", one.coarse)}; ${summary("50 clients", fifty.coarse)}`,
    );
    console.log(
      `    ratio 50/1: CPU ${(fifty.cpu / Math.max(one.cpu, 0.01)).toFixed(1)}x, p95 latency ${(pct(fifty.lat, 95) / pct(one.lat, 95)).toFixed(2)}x (latency includes the agent's stats call)`,
    );
  } finally {
    await srv.stop();
  }
}

async function historyQuery() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hangar-bench-history-"));
  const env = { DATABASE_URL: `file:${path.join(dir, "hangar.db")}` };
  let { srv, admin } = await startWithAdmin(env);
  try {
    const peer = await PeerAgent.enroll(admin, "history-peer");
    const now = Math.floor(Date.now() / 10_000) * 10_000;
    const v = HOST_METRICS.map((_, i) => i * 1.5);
    // 24 h of 10 s samples for one series (8,640), sent in batches like an agent would.
    for (let start = now - 86_400_000; start < now; start += 1000 * 10_000) {
      const samples = [];
      for (let t = start; t < Math.min(now, start + 1000 * 10_000); t += 10_000) samples.push({ target: "host", t, v });
      peer.event({ kind: "metrics.samples", coarse: true, samples });
    }
    const q = `/api/metrics/history?series=host/${peer.hostId}&range=24h`;
    await until("history", async () => (await admin.req("GET", q)).json.t?.length > 8000, 30_000);
    const measure = async () => {
      const times: number[] = [];
      const base: number[] = [];
      for (let i = 0; i < 60; i++) {
        let t0 = performance.now();
        const r = await admin.req("GET", q);
        times.push(performance.now() - t0);
        if (r.json.values[0].filter((x: number | null) => x !== null).length < 8000) throw new Error("history incomplete");
        t0 = performance.now();
        await admin.req("GET", "/api/auth/me");
        base.push(performance.now() - t0);
      }
      return { times: times.slice(10), base: base.slice(10) };
    };
    const mem = await measure();
    await peer.close();
    await srv.stop();
    srv = await startServer(env);
    admin = new Client(srv.url);
    await admin.req("POST", "/api/auth/login", ADMIN);
    const db = await measure();
    const size = fs.statSync(path.join(dir, "hangar.db")).size;
    console.log(`(c) history query, 24 h of one series (8,641 points × ${HOST_METRICS.length} metrics)`);
    console.log(`    ${summary("open chunks in memory", mem.times)}; ${summary("baseline GET /api/auth/me", mem.base)}`);
    console.log(`    ${summary("after restart (database)", db.times)}; ratio p95 to baseline ${(pct(db.times, 95) / pct(db.base, 95)).toFixed(1)}x`);
    console.log(`    database file with 24 h of this series: ${(size / 1024).toFixed(0)} KiB`);
  } finally {
    await srv.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  console.log(`# metrics benchmark, ${os.cpus().length} cores, window ${WINDOW_MS} ms`);
  const file = writeTestNode(N, { tag: "metrics", devices: false });
  try {
    if (!process.env.BENCH_SKIP_AGENT) await agentAndFanout(file);
    await historyQuery();
  } finally {
    fs.rmSync(file, { force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
