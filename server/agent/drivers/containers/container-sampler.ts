// Container metrics in the same stream shape as VMs (CONTAINER_METRICS). The Docker API has
// no bulk stats call, so running containers are read in parallel, one-shot each.
import type { MetricSample } from "../../../protocol";
import type { TargetSource } from "../../metrics/metrics-streamer";
import type { ContainerEngineDriver } from "../driver";

interface Prev {
  at: number;
  cpuNs: number;
  rd: number;
  wr: number;
  rx: number;
  tx: number;
}

interface Stats {
  cpu_stats?: { cpu_usage?: { total_usage?: number }; online_cpus?: number };
  memory_stats?: { usage?: number; limit?: number; stats?: { inactive_file?: number } };
  networks?: Record<string, { rx_bytes?: number; tx_bytes?: number }>;
  blkio_stats?: { io_service_bytes_recursive?: { op?: string; value?: number }[] | null };
}

export class ContainerSampler implements TargetSource {
  private readonly prev = new Map<string, Prev>();
  private readonly limits = new Map<string, number>();

  constructor(private readonly driver: ContainerEngineDriver) {}

  async sample(targets: ReadonlySet<string> | null, now: number): Promise<MetricSample[]> {
    if (!this.driver.connected) return [];
    if (targets && ![...targets].some((t) => t.startsWith("ct:"))) return [];
    // Which containers run is known from the engine's events: no list call per tick.
    const running = this.driver.runningIds();
    const want = targets ? running.filter((id) => targets.has(`ct:${id}`)) : running;
    if (!targets) for (const k of this.prev.keys()) if (!running.includes(k)) this.prev.delete(k);
    const docker = this.driver.need();
    const out = await Promise.all(
      want.map(async (id) => {
        try {
          const s = (await docker.getContainer(id).stats({ stream: false })) as unknown as Stats;
          return { target: `ct:${id}`, t: now, v: await this.values(id, s, now) };
        } catch {
          return null; // stopped between the list and the stats call
        }
      }),
    );
    return out.filter((x): x is MetricSample => x !== null);
  }

  private async values(id: string, s: Stats, now: number): Promise<(number | null)[]> {
    const cpuNs = s.cpu_stats?.cpu_usage?.total_usage ?? 0;
    let cpus = this.limits.get(id);
    if (cpus === undefined) {
      // The CPU limit (NanoCpus) if set, else all the host's CPUs: what 100 % means.
      const info = await this.driver
        .need()
        .getContainer(id)
        .inspect()
        .catch(() => null);
      const nano = info?.HostConfig?.NanoCpus ?? 0;
      cpus = nano > 0 ? nano / 1e9 : (s.cpu_stats?.online_cpus ?? 1);
      this.limits.set(id, cpus);
    }
    let rd = 0;
    let wr = 0;
    for (const e of s.blkio_stats?.io_service_bytes_recursive ?? []) {
      if (/^read$/i.test(e.op ?? "")) rd += e.value ?? 0;
      if (/^write$/i.test(e.op ?? "")) wr += e.value ?? 0;
    }
    let rx = 0;
    let tx = 0;
    for (const n of Object.values(s.networks ?? {})) {
      rx += n.rx_bytes ?? 0;
      tx += n.tx_bytes ?? 0;
    }
    const cur: Prev = { at: now, cpuNs, rd, wr, rx, tx };
    const p = this.prev.get(id);
    this.prev.set(id, cur);
    const secs = p ? (now - p.at) / 1000 : 0;
    const rate = (a: number, b: number | undefined) => (p && secs > 0 && b !== undefined && a >= b ? (a - b) / secs : null);
    const cpu = p && secs > 0 && cpuNs >= p.cpuNs ? Math.min(100, ((cpuNs - p.cpuNs) / (secs * 1e9 * cpus)) * 100) : null;
    const mem = s.memory_stats?.usage;
    const limit = s.memory_stats?.limit;
    return [
      cpu,
      cpus,
      mem !== undefined ? mem - (s.memory_stats?.stats?.inactive_file ?? 0) : null,
      limit && limit < 2 ** 60 ? limit : null,
      rate(rd, p?.rd),
      rate(wr, p?.wr),
      rate(rx, p?.rx),
      rate(tx, p?.tx),
    ];
  }
}
