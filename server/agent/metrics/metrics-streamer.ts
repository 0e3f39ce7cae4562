// The agent's sampling loop. Every second it samples what the server says someone is
// watching; every tenth second (a "coarse" tick) it samples everything, for history.
// Domains are always read with one bulk libvirt call per tick, never one call per VM.
import { COARSE_INTERVAL_MS, FINE_INTERVAL_MS, type AgentEvent, type MetricSample } from "../../protocol";
import type { HypervisorDriver } from "../drivers/driver";
import { DomainSampler } from "./domain-sampler";
import { HostSampler } from "./host-sampler";

/** Extra samplers (containers) plug in here with the same sample shape. */
export interface TargetSource {
  /** Samples the given targets (or all when null) of this source. */
  sample(targets: ReadonlySet<string> | null, now: number): Promise<MetricSample[]>;
}

export interface StreamerStats {
  watched: string[];
  ticks: number;
  fineSamples: number;
  coarseSamples: number;
  lastTickMs: number;
}

export class MetricsStreamer {
  private watched = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private lastCoarseSlot = -1;
  private readonly host = new HostSampler();
  private readonly domains = new DomainSampler();
  private readonly stats: StreamerStats = { watched: [], ticks: 0, fineSamples: 0, coarseSamples: 0, lastTickMs: 0 };
  readonly sources: TargetSource[] = [];

  constructor(
    private readonly driver: HypervisorDriver,
    private readonly emit: (e: AgentEvent) => void,
    private readonly intervalMs = FINE_INTERVAL_MS,
    private readonly log: (m: string) => void = (m) => console.log(`[agent/metrics] ${m}`),
  ) {}

  start(): void {
    if (this.timer) return;
    // Ticks are aligned to wall-clock seconds so samples of every host line up.
    const schedule = () => {
      const delay = this.intervalMs - (Date.now() % this.intervalMs);
      this.timer = setTimeout(() => {
        void this.tick().finally(schedule);
      }, delay);
      this.timer.unref?.();
    };
    schedule();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  watch(targets: readonly string[]): number {
    this.watched = new Set(targets);
    this.stats.watched = [...this.watched].sort();
    return this.watched.size;
  }

  snapshot(): StreamerStats {
    return { ...this.stats, watched: [...this.stats.watched] };
  }

  /** One tick; public so tests and benchmarks can drive it without waiting for the clock. */
  async tick(now = Date.now(), forceCoarse = false): Promise<MetricSample[]> {
    // A slow libvirt must not stack ticks on top of each other.
    if (this.running) return [];
    this.running = true;
    const started = performance.now();
    try {
      const slot = Math.floor(now / COARSE_INTERVAL_MS);
      const coarse = forceCoarse || slot !== this.lastCoarseSlot;
      if (coarse) this.lastCoarseSlot = slot;
      if (!coarse && this.watched.size === 0) return [];
      const samples = await this.collect(coarse ? null : this.watched, now);
      this.stats.ticks++;
      if (coarse) this.stats.coarseSamples += samples.length;
      else this.stats.fineSamples += samples.length;
      if (samples.length) this.emit({ kind: "metrics.samples", coarse, samples });
      return samples;
    } finally {
      this.stats.lastTickMs = Math.round((performance.now() - started) * 100) / 100;
      this.running = false;
    }
  }

  private async collect(only: ReadonlySet<string> | null, now: number): Promise<MetricSample[]> {
    const out: MetricSample[] = [];
    if (!only || only.has("host")) {
      try {
        const h = this.host.sample(now);
        out.push({ target: "host", t: now, v: h.v, detail: h.detail });
      } catch (err) {
        this.log(`host sample failed: ${(err as Error).message}`);
      }
    }
    const vmUuids = only ? [...only].filter((t) => t.startsWith("vm:")).map((t) => t.slice(3)) : null;
    if (this.driver.connected && (vmUuids === null || vmUuids.length > 0)) {
      try {
        const recs = await this.driver.domainStats(vmUuids);
        for (const r of recs) out.push({ target: `vm:${r.uuid}`, t: now, v: this.domains.sample(r.uuid, r.stats, now) });
        if (vmUuids === null) this.domains.retain(new Set(recs.map((r) => r.uuid)));
      } catch (err) {
        this.log(`domain stats failed: ${(err as Error).message}`);
      }
    }
    for (const s of this.sources) {
      try {
        out.push(...(await s.sample(only, now)));
      } catch (err) {
        this.log(`sample failed: ${(err as Error).message}`);
      }
    }
    return out;
  }
}
