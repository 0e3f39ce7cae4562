// Benchmark for the console byte path itself, free of QEMU's own frame pacing: a local
// stream server stands in for a VNC server (echo for round trips, a bulk stream for
// throughput). Hangar reaches it through its real path (ticket → /ws/console → server →
// agent → endpoint from the domain's XML): the agent runs against libvirt's test driver
// with one domain whose <graphics> names this server. Same stream through direct TCP and
// Debian's websockify in the same run.
// Run: npx tsx bench/console-stream.ts   (after npm run build and scripts/lab/libvirt-up.sh)
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { freePort, startWithAdmin } from "../tests/helpers/server";
import { until } from "../tests/helpers/lab";
import { tcpTransport, wsTransport, type Transport } from "./rfb-client";
import { pct, summary } from "./stats";

const RTT_N = Number(process.env.BENCH_RTT ?? 2000);
const BULK_MB = Number(process.env.BENCH_MB ?? 200);

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

async function run(label: string, t: Transport) {
  let pending: ((b: Buffer) => void) | null = null;
  let received = 0;
  t.onData((b) => {
    received += b.length;
    pending?.(b);
  });
  const rtt: number[] = [];
  for (let i = 0; i < RTT_N; i++) {
    const a = performance.now();
    await new Promise<void>((resolve) => {
      pending = () => resolve();
      t.write(Buffer.from([0x41]));
    });
    rtt.push(performance.now() - a);
  }
  pending = null;
  received = 0;
  const b = performance.now();
  t.write(Buffer.from([0x42]));
  await until("bulk received", () => received >= BULK_MB * 1e6, 120_000, 1);
  const mbps = received / ((performance.now() - b) / 1000) / 1e6;
  t.close();
  console.log(`${label}: ${summary("round trip", rtt)}; throughput ${mbps.toFixed(0)} MB/s`);
  return { rtt, mbps };
}

async function main() {
  const port = await freePort();
  const srvPort = await freePort();
  const server = streamServer(port);
  const uuid = "00000000-0000-4000-8000-00000000beef";
  const xml = path.join(os.tmpdir(), "hangar-bench-stream.xml");
  fs.writeFileSync(xml, `<node><domain type='test'><name>stream-endpoint</name><uuid>${uuid}</uuid><memory>65536</memory><vcpu>1</vcpu><os><type>hvm</type></os><devices><graphics type='vnc' port='${port}' listen='127.0.0.1'/></devices></domain></node>`);
  const { srv, admin } = await startWithAdmin({ HANGAR_LOCAL_AGENT: "1", HANGAR_LIBVIRT_URI: `test://${xml}`, ...(process.env.BENCH_CPU_PROFILE ? { HANGAR_CPU_PROFILE: process.env.BENCH_CPU_PROFILE } : {}), ...(process.env.BENCH_SERVER_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_SERVER_NODE_OPTIONS } : {}) });
  const wsk = spawn("websockify", [`127.0.0.1:${srvPort}`, `127.0.0.1:${port}`], { stdio: "ignore" });
  try {
    const row = await until("endpoint domain", async () => (await admin.req("GET", "/api/machines")).json.rows.find((r: { uuid: string }) => r.uuid === uuid), 30_000);
    await until("websockify", async () => tcpTransport(srvPort).then((t) => (t.close(), true)).catch(() => false), 10_000);
    console.log(`# console byte path: ${RTT_N} 1-byte round trips, ${BULK_MB} MB bulk, loopback, ${os.cpus().length} cores`);
    const direct = await run("direct TCP     ", await tcpTransport(port));
    const w = await run("websockify 0.10", await wsTransport(`ws://127.0.0.1:${srvPort}`, ["binary"]));
    const t = await admin.req("POST", `/api/machines/${row.hostId}/${uuid}/console`, { kind: "vnc" });
    if (t.status !== 200) throw new Error(`ticket: ${t.status} ${JSON.stringify(t.json)}`);
    const h = await run("Hangar (2 hops)", await wsTransport(`${srv.url.replace("http", "ws")}/ws/console`, t.json.protocols, { Origin: srv.url, Cookie: admin.cookie }));
    console.log(`throughput vs direct TCP: websockify ${(w.mbps / direct.mbps).toFixed(2)}x, Hangar ${(h.mbps / direct.mbps).toFixed(2)}x; Hangar / websockify ${(h.mbps / w.mbps).toFixed(2)}x (goal >= 1)`);
    console.log(`added round trip p50 over direct TCP: websockify +${(pct(w.rtt, 50) - pct(direct.rtt, 50)).toFixed(3)} ms, Hangar +${(pct(h.rtt, 50) - pct(direct.rtt, 50)).toFixed(3)} ms (goal < 0.5 ms)`);
  } finally {
    if (process.env.BENCH_DEBUG) console.log(srv.logs());
    wsk.kill();
    server.close();
    await srv.stop();
    fs.rmSync(xml, { force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
