// Latency of the RPC transport against the local libvirtd:
//   npx tsx server/agent/libvirt/measure.ts [calls=2000] [statsCalls=200] [--domains=N]
// Prints p50/p95 of sequential CONNECT_GET_LIB_VERSION calls, the throughput of the same
// call pipelined on one socket, and p50/p95 of CONNECT_GET_ALL_DOMAIN_STATS (all groups).
// --domains=N first starts N tiny diskless domains (removed again at the end) so that
// the stats figure covers running guests; --paused starts them paused, which takes the
// guests' own CPU use (SeaBIOS spinning on 2 cores) out of the figure.
import { performance } from "node:perf_hooks";
import { LibvirtClient } from "./client";
import { connectGetAllDomainStats, connectListAllDomains, domainCreate, domainDefineXml, domainDestroy, domainUndefine } from "./domain-api";
import { connectGetCapabilities } from "./host-api";
import { CreateFlags, DomainStatsTypes, ListDomainsFlags } from "./procedures";
import { type DomainRef } from "./wire-types";
import { connectGetLibVersion, connectGetVersion } from "./host-api";

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, i)] ?? NaN;
}

async function timeEach(n: number, fn: () => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return out.sort((a, b) => a - b);
}

const fmt = (ms: number) => `${ms.toFixed(3)} ms`;

async function startDomains(client: LibvirtClient, n: number, paused: boolean): Promise<DomainRef[]> {
  // libvirt lists kvm guests only where the QEMU user can really use /dev/kvm.
  const type = (await connectGetCapabilities(client)).includes("<domain type='kvm'") ? "kvm" : "qemu";
  const out: DomainRef[] = [];
  for (let i = 0; i < n; i++) {
    const name = `hangar-rpc-measure-${process.pid}-${i}`;
    const xml = `<domain type='${type}'><name>${name}</name><memory unit='MiB'>32</memory><vcpu>1</vcpu><os><type arch='x86_64'>hvm</type></os><devices><graphics type='vnc' autoport='yes' listen='127.0.0.1'/></devices></domain>`;
    const dom = await domainDefineXml(client, xml);
    out.push(dom);
    await domainCreate(client, dom, paused ? CreateFlags.PAUSED : 0);
  }
  return out;
}

async function main(): Promise<void> {
  const positional = process.argv.slice(2).filter((a) => !a.startsWith("--"));
  const calls = Number(positional[0] ?? 2000);
  const statsCalls = Number(positional[1] ?? 200);
  const extra = Number(process.argv.find((a) => a.startsWith("--domains="))?.slice("--domains=".length) ?? 0);
  const client = new LibvirtClient();
  const t0 = performance.now();
  await client.connect();
  console.log(`connect (auth + open) on ${client.socketPath}: ${fmt(performance.now() - t0)}`);
  const lib = await connectGetLibVersion(client);
  const hv = await connectGetVersion(client);
  console.log(`libvirt ${lib.major}.${lib.minor}.${lib.release}, QEMU ${hv.major}.${hv.minor}.${hv.release}`);

  await timeEach(200, () => connectGetLibVersion(client)); // warm-up
  const seq = await timeEach(calls, () => connectGetLibVersion(client));
  console.log(
    `connectGetLibVersion x${calls} sequential: p50 ${fmt(percentile(seq, 50))}, p95 ${fmt(percentile(seq, 95))}, max ${fmt(seq[seq.length - 1] ?? NaN)}`,
  );

  const tp = performance.now();
  await Promise.all(Array.from({ length: calls }, () => connectGetLibVersion(client)));
  const secs = (performance.now() - tp) / 1000;
  console.log(`connectGetLibVersion x${calls} pipelined: ${Math.round(calls / secs)} calls/s`);

  const mine = await startDomains(client, extra, process.argv.includes("--paused"));
  try {
    await measureStats(client, statsCalls);
  } finally {
    // The daemon may have been restarted meanwhile: clean up on a fresh connection then.
    let cleaner = client;
    if (!client.connected && mine.length > 0) {
      cleaner = new LibvirtClient();
      await cleaner.connect().catch((err: unknown) => console.error("cleanup: cannot reconnect", err));
    }
    for (const dom of mine) {
      await domainDestroy(cleaner, dom).catch(() => undefined);
      await domainUndefine(cleaner, dom).catch((err: unknown) => console.error(`cleanup: ${dom.name} left defined`, err));
    }
    if (cleaner !== client) await cleaner.close();
  }
  await client.close();
}

async function measureStats(client: LibvirtClient, statsCalls: number): Promise<void> {
  const doms = await connectListAllDomains(client);
  const running = (await connectListAllDomains(client, ListDomainsFlags.ACTIVE)).length;
  await timeEach(5, () => connectGetAllDomainStats(client)); // warm-up
  const stats = await timeEach(statsCalls, () => connectGetAllDomainStats(client));
  const sample = await connectGetAllDomainStats(client);
  const params = sample.reduce((n, r) => n + Object.keys(r.stats).length, 0);
  console.log(
    `connectGetAllDomainStats (all groups, ${doms.length} domains, ${running} active, ${params} values) x${statsCalls}: ` +
      `p50 ${fmt(percentile(stats, 50))}, p95 ${fmt(percentile(stats, 95))}`,
  );
  // What a machine list needs every few seconds: state, CPU, memory, NICs, disks.
  const mask = DomainStatsTypes.STATE | DomainStatsTypes.CPU_TOTAL | DomainStatsTypes.BALLOON | DomainStatsTypes.INTERFACE | DomainStatsTypes.BLOCK;
  const light = await timeEach(statsCalls, () => connectGetAllDomainStats(client, mask));
  console.log(
    `connectGetAllDomainStats (state+cpu+balloon+net+block) x${statsCalls}: p50 ${fmt(percentile(light, 50))}, p95 ${fmt(percentile(light, 95))}`,
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
