// Benchmark for consoles: on one QEMU guest's VNC server, through (1) direct TCP,
// (2) Debian's websockify (one websocket hop), (3) Hangar (browser → server → agent → VNC,
// two hops, with tickets): time to the first frame, round trip of a tiny frame (QEMU sends
// one update per request, so this is what makes a console feel local), throughput of full
// raw frames; and server + relay process + agent memory with 20 consoles open.
// Run: npx tsx bench/console-path.ts   (after npm run build and scripts/lab/test-services-up.sh)
import { execFileSync, spawn } from "node:child_process";
import { startWithAdmin, freePort } from "../tests/helpers/server";
import path from "node:path";
import { ensureOff, until, virsh } from "../tests/helpers/lab";
import { RfbSession, tcpTransport, wsTransport, type Transport } from "./rfb-client";
import { pct, rssMiB, summary } from "./stats";

const VM = "hangar-test-2";
const RTT_N = Number(process.env.BENCH_RTT ?? 300);
const FRAMES = Number(process.env.BENCH_FRAMES ?? 60);

async function measure(label: string, connect: () => Promise<Transport>) {
  const t0 = performance.now();
  const s = await RfbSession.open(await connect());
  await s.frame();
  const firstFrame = performance.now() - t0;
  const rtt: number[] = [];
  for (let i = 0; i < RTT_N; i++) {
    const a = performance.now();
    await s.frame(1, 1);
    rtt.push(performance.now() - a);
  }
  let bytes = 0;
  const b = performance.now();
  for (let i = 0; i < FRAMES; i++) bytes += await s.frame();
  const secs = (performance.now() - b) / 1000;
  s.close();
  const mbps = bytes / secs / 1e6;
  console.log(
    `${label}: first frame ${firstFrame.toFixed(1)} ms; ${summary("tiny-frame round trip", rtt)}; full raw frames ${mbps.toFixed(1)} MB/s (${s.width}x${s.height})`,
  );
  return { rtt, mbps, firstFrame };
}

async function main() {
  execFileSync("bash", [path.join(import.meta.dirname, "..", "scripts", "lab", "bench-tools.sh")], { stdio: "inherit" });
  ensureOff(VM);
  virsh("start", VM);
  const { srv, admin } = await startWithAdmin({ HANGAR_LOCAL_AGENT: "1" });
  const wsPort = await freePort();
  let wsProxy: ReturnType<typeof spawn> | null = null;
  try {
    const row = await until("guest with VNC port", async () =>
      (await admin.req("GET", "/api/machines")).json.rows.find(
        (r: { name: string; state: string; graphics: { port: number }[] }) => r.name === VM && r.state === "running" && r.graphics[0]!.port > 0,
      ),
    );
    const port = row.graphics[0].port as number;
    await new Promise((r) => setTimeout(r, 4000)); // the guest has drawn its console
    wsProxy = spawn("websockify", [`127.0.0.1:${wsPort}`, `127.0.0.1:${port}`], { stdio: "ignore" });
    await until(
      "websockify listening",
      async () =>
        tcpTransport(wsPort)
          .then((t) => (t.close(), true))
          .catch(() => false),
      10_000,
    );

    console.log(`# console path benchmark on ${VM} (QEMU VNC at 127.0.0.1:${port}), ${RTT_N} round trips, ${FRAMES} full frames each`);
    const direct = await measure("direct TCP       ", () => tcpTransport(port));
    const wsk = await measure("websockify 0.10  ", () => wsTransport(`ws://127.0.0.1:${wsPort}`, ["binary"]));
    const hangarConnect = async () => {
      const t = await admin.req("POST", `/api/machines/${row.hostId}/${row.uuid}/console`, { kind: "vnc" });
      return wsTransport(`${srv.url.replace("http", "ws")}/ws/console`, t.json.protocols, { Origin: srv.url, Cookie: admin.cookie });
    };
    const hangar = await measure("Hangar (2 hops)  ", hangarConnect);
    const firsts: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t0 = performance.now();
      const s = await RfbSession.open(await hangarConnect());
      await s.frame();
      firsts.push(performance.now() - t0);
      s.close();
    }
    console.log(summary("Hangar time to first frame (ticket + upgrade + handshake + full frame)", firsts));
    console.log(
      `throughput vs direct: websockify ${(wsk.mbps / direct.mbps).toFixed(2)}x, Hangar ${(hangar.mbps / direct.mbps).toFixed(2)}x; Hangar vs websockify ${(hangar.mbps / wsk.mbps).toFixed(2)}x`,
    );
    console.log(
      `added round trip p50 over direct: websockify +${(pct(wsk.rtt, 50) - pct(direct.rtt, 50)).toFixed(3)} ms, Hangar +${(pct(hangar.rtt, 50) - pct(direct.rtt, 50)).toFixed(3)} ms (goal < 0.5 ms)`,
    );

    const agentPid = Number(
      execFileSync("pgrep", ["-f", `agent.mjs --server http://127.0.0.1:${srv.port}`], { encoding: "utf8" })
        .trim()
        .split("\n")[0],
    );
    const relayPid = Number(execFileSync("pgrep", ["-P", String(srv.proc.pid), "-f", "console-relay.js"], { encoding: "utf8" }).trim());
    const rss = () => ({ server: rssMiB(srv.proc.pid!), relay: rssMiB(relayPid), agent: rssMiB(agentPid) });
    const before = rss();
    const open: RfbSession[] = [];
    for (let i = 0; i < 20; i++) {
      const s = await RfbSession.open(await hangarConnect());
      await s.frame();
      open.push(s);
    }
    const after = rss();
    const fmt = (k: keyof typeof after) => `${k} ${after[k].toFixed(1)} MiB (+${(after[k] - before[k]).toFixed(1)})`;
    console.log(`RSS with 20 consoles open: ${fmt("server")}, ${fmt("relay")}, ${fmt("agent")}`);
    for (const s of open) s.close();
  } finally {
    wsProxy?.kill();
    await srv.stop();
    ensureOff(VM);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
