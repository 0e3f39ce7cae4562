// Benchmark (b)+(c): inventory of 1,000 domains through agent → server → REST, against
// `virsh list --all` + `virsh domstats` in the same run; agent RSS idle and at 1,000
// domains. Uses libvirt's test driver through the real libvirtd (test+unix), which serves
// 1,000 fake domains over the same RPC path as qemu:///system.
// Run: npx tsx bench/inventory.ts   (after npm run build and scripts/lab/libvirt-up.sh)
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import { startWithAdmin } from "../tests/helpers/server";
import { until } from "../tests/helpers/lab";
import { createLibvirtDriver } from "../server/agent/drivers/libvirt/libvirt-driver";
import { writeTestNode } from "./test-domains";
import { pct, rssMiB, summary } from "./stats";

const N = Number(process.env.BENCH_DOMAINS ?? 1000);

function agentPid(port: number): number {
  return Number(
    execFileSync("pgrep", ["-f", `agent.mjs --server http://127.0.0.1:${port}`], { encoding: "utf8" })
      .trim()
      .split("\n")[0],
  );
}

async function measureServer(uri: string | null, expectCount: number) {
  const env: Record<string, string> = { HANGAR_LOCAL_AGENT: "1" };
  if (uri) env.HANGAR_LIBVIRT_URI = uri;
  const { srv, admin } = await startWithAdmin(env);
  try {
    await until("inventory", async () => (await admin.req("GET", "/api/machines?limit=5000")).json.total >= expectCount, 60_000, 200);
    await new Promise((r) => setTimeout(r, 3000)); // let the agent settle to idle
    const pid = agentPid(srv.port);
    const rss = rssMiB(pid);
    const times: number[] = [];
    for (let i = 0; i < 60; i++) {
      const t0 = performance.now();
      const r = await admin.req("GET", "/api/machines?limit=5000");
      times.push(performance.now() - t0);
      if (r.json.total < expectCount) throw new Error("inventory shrank");
    }
    return { rss, rest: times.slice(10) }; // the first 10 warm up
  } finally {
    await srv.stop();
  }
}

async function main() {
  const file = writeTestNode(N);
  const uri = `test://${file}`;
  console.log(`# inventory benchmark, ${N} domains (libvirt test driver via libvirtd), ${os.cpus().length} cores`);

  // Baseline: what an admin gets from virsh (list + bulk stats), spawned per call.
  const virsh: number[] = [];
  for (let i = 0; i < 10; i++) {
    const t0 = performance.now();
    execFileSync("virsh", ["-c", `test+unix://${file}`, "list", "--all"], { stdio: "ignore" });
    execFileSync("virsh", ["-c", `test+unix://${file}`, "domstats"], { stdio: "ignore", maxBuffer: 64 * 1024 * 1024 });
    virsh.push(performance.now() - t0);
  }
  console.log(summary("virsh list --all + virsh domstats", virsh));

  // The agent's own full listing over libvirt RPC (what a resync costs).
  const driver = createLibvirtDriver({ uri, socketPath: null, log: () => undefined });
  await driver.start();
  const list: number[] = [];
  for (let i = 0; i < 10; i++) {
    const t0 = performance.now();
    const doms = await driver.listDomains();
    list.push(performance.now() - t0);
    if (doms.length !== N) throw new Error(`listed ${doms.length}`);
  }
  await driver.stop();
  console.log(summary("agent full listing over libvirt RPC (cold XML cache)", list));

  const big = await measureServer(uri, N);
  console.log(summary(`REST GET /api/machines (${N} rows, warm)`, big.rest));
  const idle = await measureServer(null, 1);
  console.log(`agent RSS: idle (qemu:///system, lab guests) ${idle.rss.toFixed(1)} MiB; with ${N} domains ${big.rss.toFixed(1)} MiB`);
  console.log(`ratio REST p95 / virsh p95: ${(pct(big.rest, 95) / pct(virsh, 95)).toFixed(3)} (goal: REST p95 < 100 ms)`);
  fs.rmSync(file, { force: true });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
