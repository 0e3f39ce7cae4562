// Benchmark for the console byte path itself, free of QEMU's own frame pacing: a local
// stream server stands in for a VNC server (echo for round trips, a bulk stream for
// throughput). Hangar reaches it through its real path (ticket → /ws/console → server →
// relay process → agent → endpoint from the domain's XML): the agent runs against
// libvirt's test driver with one domain whose <graphics> names this server. In the same
// run and on the same stream:
//   - direct TCP;
//   - Debian's websockify (one websocket hop, the goal's baseline);
//   - websockify behind socat, a plain TCP relay in C: the cheapest possible second hop,
//     which shows what any two-hop path costs on this machine.
// Paths alternate over BENCH_ROUNDS rounds (the machine's throughput drifts by ±30 %
// between runs); medians are compared. CPU per MB is read from /proc for every process on
// the path, so the cost of each hop is visible apart from the machine's load.
// Run: npx tsx bench/console-stream.ts   (after npm run build and scripts/lab/libvirt-up.sh)
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { freePort, startWithAdmin } from "../tests/helpers/server";
import { until } from "../tests/helpers/lab";
import { tcpTransport, wsTransport, type Transport } from "./rfb-client";
import { cpuSeconds, pct, summary } from "./stats";

/** CPU seconds of a process and its live descendants (websockify serves each connection in a forked child). */
function treeCpuSeconds(pid: number): number {
  let kids: number[] = [];
  try {
    kids = execFileSync("pgrep", ["-P", String(pid)], { encoding: "utf8" })
      .trim()
      .split("\n")
      .filter(Boolean)
      .map(Number);
  } catch {
    // pgrep exits 1 when there are none
  }
  return cpuSeconds(pid) + kids.reduce((a, k) => a + treeCpuSeconds(k), 0);
}

const RTT_N = Number(process.env.BENCH_RTT ?? 2000);
const BULK_MB = Number(process.env.BENCH_MB ?? 1000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

function streamServer(port: number): net.Server {
  return net
    .createServer((s) => {
      s.setNoDelay(true);
      s.on("data", (d) => {
        if (d[0] === 0x42 /* B: bulk */) {
          const chunk = Buffer.alloc(64 * 1024, 7);
          let left = BULK_MB * 1e6;
          const pump = () => {
            while (left > 0) {
              left -= chunk.length;
              if (!s.write(chunk)) return void s.once("drain", pump);
            }
          };
          pump();
        } else s.write(d);
      });
      s.on("error", () => undefined);
    })
    .listen(port, "127.0.0.1");
}

/** CPU seconds used so far by each process counted for a path, by name. */
type Procs = Record<string, () => number>;
const own = (pid: number) => () => cpuSeconds(pid);
const tree = (pid: number) => () => treeCpuSeconds(pid);

interface Result {
  rtt: number[];
  mbps: number[];
  /** CPU milliseconds per MB, per process, one entry per round. */
  cpu: Record<string, number[]>;
}

async function roundTrips(t: Transport, n: number): Promise<number[]> {
  let pending: (() => void) | null = null;
  t.onData(() => pending?.());
  const rtt: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = performance.now();
    await new Promise<void>((resolve) => {
      pending = resolve;
      t.write(Buffer.from([0x41]));
    });
    rtt.push(performance.now() - a);
  }
  return rtt;
}

async function bulk(t: Transport, procs: Procs, into: Result): Promise<void> {
  let received = 0;
  t.onData((b) => (received += b.length));
  const before = Object.fromEntries(Object.entries(procs).map(([k, cpu]) => [k, cpu()]));
  const self = process.cpuUsage();
  const b = performance.now();
  t.write(Buffer.from([0x42]));
  await until("bulk received", () => received >= BULK_MB * 1e6, 120_000, 1);
  const s = (performance.now() - b) / 1000;
  into.mbps.push(received / s / 1e6);
  const mb = received / 1e6;
  for (const [k, cpu] of Object.entries(procs)) (into.cpu[k] ??= []).push(((cpu() - before[k]!) * 1000) / mb);
  const u = process.cpuUsage(self);
  (into.cpu["benchmark (source + client)"] ??= []).push((u.user + u.system) / 1000 / mb);
  t.close();
}

function childPid(parent: number, match: string): number {
  const out = execFileSync("pgrep", ["-P", String(parent), "-f", match], { encoding: "utf8" }).trim();
  return Number(out.split("\n")[0]);
}

const median = (v: number[]) => pct(v, 50);

function report(label: string, r: Result, base?: Result): void {
  const tp = `${median(r.mbps).toFixed(0)} MB/s (rounds: ${r.mbps.map((x) => x.toFixed(0)).join(", ")})`;
  console.log(
    `${label}: ${summary("round trip", r.rtt)}; throughput median ${tp}${base ? `; ${(median(r.mbps) / median(base.mbps)).toFixed(2)}x direct` : ""}`,
  );
  const cpu = Object.entries(r.cpu).map(([k, v]) => `${k} ${median(v).toFixed(2)}`);
  const total = Object.values(r.cpu).reduce((a, v) => a + median(v), 0);
  console.log(`    CPU ms per MB: ${cpu.join(", ")}; whole path ${total.toFixed(2)}`);
}

async function main() {
  execFileSync("bash", [path.join(import.meta.dirname, "..", "scripts", "lab", "bench-tools.sh")], { stdio: "inherit" });
  const port = await freePort();
  const server = streamServer(port);
  const uuid = "00000000-0000-4000-8000-00000000beef";
  const xml = path.join(os.tmpdir(), "hangar-bench-stream.xml");
  fs.writeFileSync(
    xml,
    `<node><domain type='test'><name>stream-endpoint</name><uuid>${uuid}</uuid><memory>65536</memory><vcpu>1</vcpu><os><type>hvm</type></os><devices><graphics type='vnc' port='${port}' listen='127.0.0.1'/></devices></domain></node>`,
  );
  const { srv, admin } = await startWithAdmin({
    HANGAR_LOCAL_AGENT: "1",
    HANGAR_LIBVIRT_URI: `test://${xml}`,
    ...(process.env.BENCH_CPU_PROFILE ? { HANGAR_CPU_PROFILE: process.env.BENCH_CPU_PROFILE } : {}),
    ...(process.env.BENCH_SERVER_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_SERVER_NODE_OPTIONS } : {}),
  });
  const wskPort = await freePort();
  const wsk = spawn("websockify", [`127.0.0.1:${wskPort}`, `127.0.0.1:${port}`], { stdio: "ignore" });
  // websockify → socat → stream: socat serves one connection per round (no fork), so its
  // pid is the relay's.
  const chainPort = await freePort();
  const socatPort = await freePort();
  const chain = spawn("websockify", [`127.0.0.1:${chainPort}`, `127.0.0.1:${socatPort}`], { stdio: "ignore" });
  const spawned: ChildProcess[] = [wsk, chain];
  const socat = async () => {
    const p = spawn("socat", ["-b", "262144", `TCP-LISTEN:${socatPort},bind=127.0.0.1,reuseaddr`, `TCP:127.0.0.1:${port},nodelay`], {
      stdio: "ignore",
    });
    spawned.push(p);
    await until(
      "socat listening",
      () => execFileSync("ss", ["-ltnH", `sport = :${socatPort}`], { encoding: "utf8" }).includes(String(socatPort)),
      5000,
      20,
    );
    return p.pid!;
  };
  try {
    const row = await until(
      "endpoint domain",
      async () => (await admin.req("GET", "/api/machines")).json.rows.find((r: { uuid: string }) => r.uuid === uuid),
      30_000,
    );
    await until(
      "websockify",
      async () =>
        tcpTransport(wskPort)
          .then((t) => (t.close(), true))
          .catch(() => false),
      10_000,
    );
    const serverPid = srv.proc.pid!;
    const hangarProcs: Procs = {
      server: own(serverPid),
      "console relay": own(childPid(serverPid, "console-relay.js")),
      agent: own(childPid(serverPid, "agent.mjs")),
    };
    const hangarSocket = async () => {
      const t = await admin.req("POST", `/api/machines/${row.hostId}/${uuid}/console`, { kind: "vnc" });
      if (t.status !== 200) throw new Error(`ticket: ${t.status} ${JSON.stringify(t.json)}`);
      return wsTransport(`${srv.url.replace("http", "ws")}/ws/console`, t.json.protocols, { Origin: srv.url, Cookie: admin.cookie });
    };
    const paths: { label: string; open: () => Promise<Transport>; procs: () => Promise<Procs> }[] = [
      { label: "direct TCP              ", open: () => tcpTransport(port), procs: async () => ({}) },
      {
        label: "websockify 0.10 (1 hop) ",
        open: () => wsTransport(`ws://127.0.0.1:${wskPort}`, ["binary"]),
        procs: async () => ({ websockify: tree(wsk.pid!) }),
      },
      {
        label: "websockify + socat (2)  ",
        open: () => wsTransport(`ws://127.0.0.1:${chainPort}`, ["binary"]),
        procs: async () => ({ websockify: tree(chain.pid!), socat: own(await socat()) }),
      },
      { label: "Hangar (2 hops)         ", open: hangarSocket, procs: async () => hangarProcs },
    ];
    const results = paths.map((): Result => ({ rtt: [], mbps: [], cpu: {} }));
    console.log(`# console byte path: ${RTT_N} 1-byte round trips, ${BULK_MB} MB bulk x ${ROUNDS} rounds, loopback, ${os.cpus().length} cores`);
    for (let round = 0; round < ROUNDS; round++) {
      for (const [i, p] of paths.entries()) {
        const procs = await p.procs();
        const t = await p.open();
        if (round === 0) results[i]!.rtt = await roundTrips(t, RTT_N);
        await bulk(t, procs, results[i]!);
      }
    }
    const [direct, w, chained, h] = results as [Result, Result, Result, Result];
    paths.forEach((p, i) => report(p.label, results[i]!, i ? direct : undefined));
    const ratio = (a: Result, b: Result) => (median(a.mbps) / median(b.mbps)).toFixed(2);
    console.log(
      `throughput, medians: Hangar / websockify ${ratio(h, w)}x (goal >= 1); websockify + socat / websockify ${ratio(chained, w)}x; Hangar / (websockify + socat) ${ratio(h, chained)}x`,
    );
    console.log(
      `added round trip p50 over direct TCP: websockify +${(pct(w.rtt, 50) - pct(direct.rtt, 50)).toFixed(3)} ms, websockify + socat +${(pct(chained.rtt, 50) - pct(direct.rtt, 50)).toFixed(3)} ms, Hangar +${(pct(h.rtt, 50) - pct(direct.rtt, 50)).toFixed(3)} ms (goal < 0.5 ms)`,
    );
  } finally {
    if (process.env.BENCH_DEBUG) console.log(srv.logs());
    for (const p of spawned) p.kill();
    server.close();
    await srv.stop();
    fs.rmSync(xml, { force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
