// Benchmark (issue 15 point 1, decision 0005 "consoles"): what the hop between servers
// costs a console. Two real servers on one PostgreSQL, the lab's agent on A; one guest's
// VNC console opened on A (browser → A's relay → agent → VNC) and on B (browser → B's relay
// → A → agent → VNC). Per path: time to the first full frame (ticket + upgrade +
// RFB handshake + one full raw frame), round trip of a tiny frame, full-frame throughput,
// and the CPU A's process tree (server, relay child, the agent) spent per MB of frames;
// then the hop's own throughput and CPU per MB on a bulk stream, free of QEMU's pacing.
// Run: npx tsx bench/console-via-peer.ts   (after npm run build and scripts/lab/test-services-up.sh;
//   HANGAR_TEST_PG_URL set). BENCH_FIRSTS, BENCH_RTT, BENCH_FRAMES change the counts.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startCluster } from "../tests/helpers/cluster";
import { until, virsh } from "../tests/helpers/lab";
import { freePort } from "../tests/helpers/server";
import { streamServer } from "../tests/helpers/stream-source";
import { undefineScratch } from "../tests/helpers/scratch-domains";
import { cpuOf, tree } from "./proc-cpu";
import { RfbSession, wsTransport } from "./rfb-client";
import { pct, summary } from "./stats";

const VM = "hx-xstream-bench";
const FIRSTS = Number(process.env.BENCH_FIRSTS ?? 30);
const RTT_N = Number(process.env.BENCH_RTT ?? 300);
const FRAMES = Number(process.env.BENCH_FRAMES ?? 60);
const BULK_MB = Number(process.env.BENCH_MB ?? 300);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

/** A frame that does not come within 10 s names itself instead of hanging the run. */
function within<T>(p: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const stuck = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: nothing within 10 s`)), 10_000)));
  return Promise.race([p, stuck]).finally(() => clearTimeout(timer));
}

async function main() {
  undefineScratch(VM);
  // Diskless with VNC: SeaBIOS on screen within a second, the cheapest real VNC server.
  const xml = path.join(os.tmpdir(), `${VM}.xml`);
  fs.writeFileSync(
    xml,
    `<domain type='qemu'><name>${VM}</name><memory unit='MiB'>32</memory><vcpu>1</vcpu><os><type arch='x86_64'>hvm</type></os><devices><graphics type='vnc' autoport='yes' listen='127.0.0.1'/></devices></domain>`,
  );
  virsh("define", xml);
  fs.rmSync(xml, { force: true });
  virsh("start", VM);
  const cluster = await startCluster(2, { HANGAR_CLUSTER_SECRET: randomBytes(24).toString("base64url") }, (i): Record<string, string> =>
    i === 0 ? { HANGAR_LOCAL_AGENT: "1" } : {},
  );
  try {
    const [a, b] = cluster.servers as [(typeof cluster.servers)[0], (typeof cluster.servers)[0]];
    const admin = cluster.admin;
    const row = await until(
      "guest with VNC port on A",
      async () =>
        (
          (await admin.req("GET", "/api/machines")).json.rows as {
            name: string;
            state: string;
            hostId: string;
            uuid: string;
            graphics: { port: number }[];
          }[]
        ).find((r) => r.name === VM && r.state === "running" && (r.graphics[0]?.port ?? 0) > 0),
      60_000,
    );
    await new Promise((r) => setTimeout(r, 2000)); // SeaBIOS has drawn its screen
    // Tickets come from A (B has no mirror of A's inventory yet); they are shared rows.
    const connect = async (base: string) => {
      const t = await admin.req("POST", `/api/machines/${row.hostId}/${row.uuid}/console`, { kind: "vnc" });
      return wsTransport(`${base.replace("http", "ws")}/ws/console`, t.json.protocols, { Origin: base, Cookie: admin.cookie });
    };
    const aPids = () => tree(a.proc.pid!);
    console.log(
      `# console through the server holding the agent (A) and through a peer (B): ${FIRSTS} opens, ${RTT_N} round trips, ${FRAMES} full frames`,
    );
    const open = async (base: string) => {
      const t0 = performance.now();
      // A stuck open names itself instead of hanging the run.
      let timer: NodeJS.Timeout | undefined;
      const stuck = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`console on ${base} stuck opening`)), 15_000)));
      const s = await Promise.race([RfbSession.open(await connect(base)), stuck]);
      await Promise.race([s.frame(), stuck]);
      clearTimeout(timer);
      return { s, ms: performance.now() - t0 };
    };
    // Opens alternate between A and B, so that the machine's drift hits both alike.
    const first: Record<"A" | "B", number[]> = { A: [], B: [] };
    for (let i = 0; i < FIRSTS; i++)
      for (const [k, base] of [
        ["A", a.url],
        ["B", b.url],
      ] as const) {
        const { s, ms } = await open(base);
        first[k].push(ms);
        s.close();
      }
    console.log(`on A (agent's server): ${summary("ticket → first full frame", first.A)}`);
    console.log(`on B (one hop to A)  : ${summary("ticket → first full frame", first.B)}`);
    const rtts: Record<"A" | "B", number[]> = { A: [], B: [] };
    for (const [k, base] of [
      ["A", a.url],
      ["B", b.url],
      ["A", a.url],
      ["B", b.url],
    ] as const) {
      const { s } = await open(base);
      for (let i = 0; i < RTT_N; i++) {
        const t = performance.now();
        await within(s.frame(1, 1), `tiny frame ${i} on ${k}`);
        rtts[k].push(performance.now() - t);
      }
      const cpu0 = cpuOf(aPids());
      const t = performance.now();
      let bytes = 0;
      for (let i = 0; i < FRAMES; i++) bytes += await within(s.frame(), `full frame ${i} on ${k}`);
      const secs = (performance.now() - t) / 1000;
      const mb = bytes / 1e6;
      const cpu = cpuOf(aPids()) - cpu0;
      s.close();
      console.log(
        `on ${k}: full raw frames ${(mb / secs).toFixed(1)} MB/s (${s.width}x${s.height}); A's process tree ${((cpu * 1000) / mb).toFixed(2)} ms CPU per MB`,
      );
    }
    console.log(`on A: ${summary("tiny-frame round trip", rtts.A)}`);
    console.log(`on B: ${summary("tiny-frame round trip", rtts.B)}`);
    console.log(
      `hop cost (p50): first frame +${(pct(first.B, 50) - pct(first.A, 50)).toFixed(1)} ms, round trip +${(pct(rtts.B, 50) - pct(rtts.A, 50)).toFixed(3)} ms`,
    );
  } finally {
    await cluster.stop();
    undefineScratch(VM);
  }
}

/**
 * The hop's own cost, free of QEMU's pacing: the agent on libvirt's test driver with one
 * domain whose VNC endpoint is a stand-in streaming as fast as it is read; BULK_MB read
 * through A, then through B, alternating over ROUNDS; CPU per MB of each server's process
 * tree (server, relay process; A's includes the agent).
 */
async function bulk() {
  const source = streamServer();
  const port = await freePort();
  await new Promise<void>((r) => source.server.listen(port, "127.0.0.1", r));
  const uuid = "00000000-0000-4000-8000-0000000f3000";
  const xml = path.join(os.tmpdir(), `${VM}-bulk.xml`);
  fs.writeFileSync(
    xml,
    `<node><domain type='test'><name>${VM}-bulk</name><uuid>${uuid}</uuid><memory>65536</memory><vcpu>1</vcpu><os><type>hvm</type></os><devices><graphics type='vnc' port='${port}' listen='127.0.0.1'/></devices></domain></node>`,
  );
  const cluster = await startCluster(2, { HANGAR_CLUSTER_SECRET: randomBytes(24).toString("base64url") }, (i): Record<string, string> =>
    i === 0 ? { HANGAR_LOCAL_AGENT: "1", HANGAR_LIBVIRT_URI: `test://${xml}` } : {},
  );
  try {
    const admin = cluster.admin;
    const hostId = (
      await until("stream domain", async () => (await admin.req("GET", "/api/machines")).json.rows.find((r: { uuid: string }) => r.uuid === uuid))
    ).hostId as string;
    const [a, b] = cluster.servers.map((s) => s.url) as [string, string];
    const trees = cluster.servers.map((s) => () => tree(s.proc.pid!));
    const rate: Record<string, number[]> = { A: [], B: [] };
    console.log(`# bulk through the hop: ${BULK_MB} MB per read, ${ROUNDS} rounds`);
    for (let round = 0; round < ROUNDS; round++)
      for (const [k, base] of [
        ["A", a],
        ["B", b],
      ] as const) {
        const t = await admin.req("POST", `/api/machines/${hostId}/${uuid}/console`, { kind: "vnc" });
        const transport = await wsTransport(`${base.replace("http", "ws")}/ws/console`, t.json.protocols, { Origin: base, Cookie: admin.cookie });
        let received = 0;
        const cpu0 = trees.map((f) => cpuOf(f()));
        const t0 = performance.now();
        const done = new Promise<void>((r) =>
          transport.onData((d) => {
            received += d.length;
            if (received >= BULK_MB * 1e6) r();
          }),
        );
        await done;
        const secs = (performance.now() - t0) / 1000;
        const cpu = trees.map((f, i) => ((cpuOf(f()) - cpu0[i]!) * 1000) / BULK_MB);
        transport.close();
        rate[k]!.push(BULK_MB / secs);
        console.log(
          `round ${round + 1} on ${k}: ${(BULK_MB / secs).toFixed(0)} MB/s; CPU per MB: A ${cpu[0]!.toFixed(2)} ms, B ${cpu[1]!.toFixed(2)} ms`,
        );
      }
    console.log(
      `bulk median: on A ${pct(rate.A!, 50).toFixed(0)} MB/s, through B ${pct(rate.B!, 50).toFixed(0)} MB/s (${(pct(rate.B!, 50) / pct(rate.A!, 50)).toFixed(2)}x)`,
    );
  } finally {
    await cluster.stop();
    source.server.close();
    fs.rmSync(xml, { force: true });
  }
}

main()
  .then(() => bulk())
  .then(() => process.exit(0))
  .catch((e) => {
    console.error(e);
    process.exit(1);
  });
