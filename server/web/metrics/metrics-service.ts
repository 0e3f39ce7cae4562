// Live metrics on the server: browsers subscribe to the series on their screen, the
// server tells each agent exactly which targets someone watches (so agents stream only
// those every second), fans samples out to the subscribers, keeps the latest value of
// every series, a 1 s ring of the last 10 minutes of what was watched, and hands coarse
// samples to the history store.
import {
  COARSE_INTERVAL_MS,
  FINE_INTERVAL_MS,
  HISTORY_RANGES,
  MAX_SUBSCRIPTIONS_PER_SOCKET,
  METRIC_NAMES,
  parseSeries,
  seriesOf,
  type MetricHistory,
  type MetricKind,
  type MetricSample,
  type SeriesSample,
} from "../../protocol";
import type { Db } from "../db/client";
import type { AgentHub } from "../agents/hub";
import type { EventBus } from "../events/bus";
import { HistoryStore } from "./history-store";
import { SampleRing } from "./sample-ring";

const RING_MS = 10 * 60_000;

export interface MetricsSubscriber {
  /** Sends one already-serialised message. */
  send(raw: string): void;
}

export class MetricsError extends Error {
  constructor(
    readonly code: "unknown_series" | "forbidden_series" | "too_many_subscriptions" | "invalid_range",
    message: string,
    readonly series: string[] = [],
  ) {
    super(message);
  }
}

interface Latest {
  kind: MetricKind;
  hostId: string;
  target: string;
  t: number;
  v: (number | null)[];
  /** The series' JSON for fan-out, built once per sample. */
  raw: string;
}

export class MetricsService {
  readonly history: HistoryStore;
  private readonly subs = new Map<MetricsSubscriber, Set<string>>();
  private readonly watchers = new Map<string, Set<MetricsSubscriber>>();
  private readonly latest = new Map<string, Latest>();
  private readonly rings = new Map<string, SampleRing>();
  private readonly pushTimers = new Map<string, NodeJS.Timeout>();
  /** Delivered messages and samples, for the fan-out benchmark. */
  readonly stats = { samplesIn: 0, messagesOut: 0 };

  constructor(
    private readonly db: Db,
    private readonly hub: AgentHub,
    private readonly bus: EventBus,
  ) {
    this.history = new HistoryStore(db);
  }

  async start(): Promise<void> {
    await this.history.start();
  }

  async stop(): Promise<void> {
    for (const t of this.pushTimers.values()) clearTimeout(t);
    await this.history.stop();
  }

  /** Subscribes after checking every series; on any error nothing is subscribed. */
  async subscribe(sub: MetricsSubscriber, series: readonly string[]): Promise<void> {
    const mine = this.subs.get(sub) ?? new Set<string>();
    const fresh = [...new Set(series)].filter((s) => !mine.has(s));
    if (mine.size + fresh.length > MAX_SUBSCRIPTIONS_PER_SOCKET)
      throw new MetricsError(
        "too_many_subscriptions",
        `at most ${MAX_SUBSCRIPTIONS_PER_SOCKET} series per connection (this one has ${mine.size}, asked for ${fresh.length} more)`,
      );
    const unknown = [];
    for (const s of fresh) if (!(await this.exists(s))) unknown.push(s);
    if (unknown.length)
      throw new MetricsError("unknown_series", `unknown series: ${unknown.slice(0, 5).join(", ")}${unknown.length > 5 ? ", …" : ""}`, unknown);
    this.subs.set(sub, mine);
    const hosts = new Set<string>();
    const initial: string[] = [];
    for (const s of fresh) {
      mine.add(s);
      let w = this.watchers.get(s);
      if (!w) this.watchers.set(s, (w = new Set()));
      w.add(sub);
      hosts.add(parseSeries(s)!.hostId);
      const l = this.latest.get(s);
      if (l) initial.push(l.raw);
    }
    // The latest known value right away, so a tile is never blank for a second.
    if (initial.length) this.deliver(sub, initial);
    for (const h of hosts) this.scheduleWatch(h);
  }

  unsubscribe(sub: MetricsSubscriber, series: readonly string[] | null): void {
    const mine = this.subs.get(sub);
    if (!mine) return;
    const hosts = new Set<string>();
    for (const s of series ?? [...mine]) {
      if (!mine.delete(s)) continue;
      const w = this.watchers.get(s);
      w?.delete(sub);
      if (w && !w.size) this.watchers.delete(s);
      hosts.add(parseSeries(s)!.hostId);
    }
    if (!mine.size) this.subs.delete(sub);
    for (const h of hosts) this.scheduleWatch(h);
  }

  /** What the service holds right now: bounded by design, and checked by tests. */
  status(): {
    subscribers: number;
    subscriptions: number;
    watchedSeries: number;
    latestSeries: number;
    rings: number;
    openChunks: number;
    samplesIn: number;
  } {
    let subscriptions = 0;
    for (const set of this.subs.values()) subscriptions += set.size;
    return {
      subscribers: this.subs.size,
      subscriptions,
      watchedSeries: this.watchers.size,
      latestSeries: this.latest.size,
      rings: this.rings.size,
      openChunks: this.history.openChunks,
      samplesIn: this.stats.samplesIn,
    };
  }

  /** The series one subscriber holds (re-checked when rights change). */
  subscribed(sub: MetricsSubscriber): string[] {
    return [...(this.subs.get(sub) ?? [])];
  }

  subscriptionCount(sub: MetricsSubscriber): number {
    return this.subs.get(sub)?.size ?? 0;
  }

  /** Targets of one host that someone watches, as the agent names them. */
  watchedTargets(hostId: string): string[] {
    const out: string[] = [];
    for (const s of this.watchers.keys()) {
      const ref = parseSeries(s)!;
      if (ref.hostId === hostId) out.push(ref.target);
    }
    return out.sort();
  }

  /** The agent (re)connected: tell it again what to stream (it starts with nothing). */
  hostOnline(hostId: string): void {
    if (this.watchedTargets(hostId).length) this.scheduleWatch(hostId, 0);
  }

  private lastFleetEvent = 0;

  /** Samples from one agent tick. */
  ingest(hostId: string, coarse: boolean, samples: readonly MetricSample[]): void {
    // Summaries move with the history samples: say so, at most once per coarse interval
    // however many hosts report.
    if (coarse && Date.now() - this.lastFleetEvent >= COARSE_INTERVAL_MS) {
      this.lastFleetEvent = Date.now();
      this.bus.publish({ type: "metrics.fleet" });
    }
    const out = new Map<MetricsSubscriber, string[]>();
    for (const s of samples) {
      const series = seriesOf(hostId, s.target);
      const kind = parseSeries(series)?.kind;
      if (!kind) continue;
      this.stats.samplesIn++;
      const msg: SeriesSample = { series, t: s.t, v: s.v, ...(s.detail ? { detail: s.detail } : {}) };
      const raw = JSON.stringify(msg);
      this.latest.set(series, { kind, hostId, target: s.target, t: s.t, v: s.v, raw });
      if (coarse) this.history.record(series, METRIC_NAMES[kind], s.t, s.v);
      const w = this.watchers.get(series);
      if (!w) continue;
      this.pushRing(series, kind, s.t, s.v);
      for (const sub of w) {
        const list = out.get(sub);
        if (list) list.push(raw);
        else out.set(sub, [raw]);
      }
    }
    for (const [sub, list] of out) this.deliver(sub, list);
  }

  /** The newest sample of every series (Prometheus, dashboard), newest first per kind. */
  latestAll(): IterableIterator<[string, Latest]> {
    return this.latest.entries();
  }

  latestOf(series: string): { t: number; v: (number | null)[] } | null {
    const l = this.latest.get(series);
    return l ? { t: l.t, v: l.v } : null;
  }

  /** Drops everything kept for a host (it was removed). */
  async forgetHost(hostId: string): Promise<void> {
    for (const k of [...this.latest.keys()]) if (parseSeries(k)?.hostId === hostId) this.latest.delete(k);
    await this.history.forget(`host/${hostId}`);
    for (const kind of ["vm", "ct"]) await this.history.forget(`${kind}/${hostId}/`);
  }

  async query(series: string, from: number, to: number): Promise<MetricHistory> {
    const ref = parseSeries(series);
    if (!ref) throw new MetricsError("unknown_series", `unknown series: ${series}`, [series]);
    const names = METRIC_NAMES[ref.kind];
    const grid = await this.history.query(series, names, from, to);
    // Short ranges: where a 1 s ring exists (someone watched), its samples replace the
    // 10 s slots they fall in, so a freshly opened chart shows what was seen live.
    const ring = to - from <= RING_MS ? this.rings.get(series) : undefined;
    if (!ring?.size) return { series, names, ...grid };
    const t: number[] = [];
    const values: (number | null)[][] = names.map(() => []);
    let r = 0;
    for (let g = 0; g < grid.t.length; g++) {
      const slotStart = grid.t[g]!;
      const slotEnd = slotStart + grid.stepMs;
      while (r < ring.size && ring.t(r) < slotStart) r++;
      const startR = r;
      while (r < ring.size && ring.t(r) < slotEnd) {
        if (ring.t(r) >= from && ring.t(r) <= to) {
          t.push(ring.t(r));
          names.forEach((_, i) => values[i]!.push(ring.value(r, i)));
        }
        r++;
      }
      if (r === startR) {
        t.push(slotStart);
        names.forEach((_, i) => values[i]!.push(grid.values[i]![g]!));
      }
    }
    return { series, names, stepMs: FINE_INTERVAL_MS, t, values };
  }

  /** Resolves a named range ("1h") or explicit bounds, refusing absurd ones. */
  static range(q: { range?: string; from?: number; to?: number }, now = Date.now()): { from: number; to: number } {
    if (q.range !== undefined) {
      const span = HISTORY_RANGES[q.range as keyof typeof HISTORY_RANGES];
      if (!span) throw new MetricsError("invalid_range", `range must be one of ${Object.keys(HISTORY_RANGES).join(", ")}`);
      return { from: now - span, to: now };
    }
    const { from, to } = q;
    if (from === undefined || to === undefined) throw new MetricsError("invalid_range", "give either range or both from and to (ms since the epoch)");
    if (!(to > from)) throw new MetricsError("invalid_range", "to must be later than from");
    if (to - from > 31 * 86_400_000) throw new MetricsError("invalid_range", "at most 31 days per query");
    if (from < now - 32 * 86_400_000 || to > now + 86_400_000) throw new MetricsError("invalid_range", "from/to outside the 30 days of history kept");
    return { from, to };
  }

  private async exists(series: string): Promise<boolean> {
    const ref = parseSeries(series);
    if (!ref) return false;
    if (!(await this.hostExists(ref.hostId))) return false;
    if (ref.kind === "host") return true;
    // A machine of an offline host may be unknown until its agent reports: accept it then.
    if (ref.kind === "vm") return !this.hub.isOnline(ref.hostId) || !!this.hub.domain(ref.hostId, ref.target.slice(3));
    return true;
  }

  private readonly knownHosts = new Set<string>();
  private async hostExists(hostId: string): Promise<boolean> {
    if (this.knownHosts.has(hostId)) return true;
    const h = await this.db.host.findUnique({ where: { id: hostId }, select: { id: true } });
    if (h) this.knownHosts.add(hostId);
    return !!h;
  }

  /** Called when a host is removed. */
  hostRemoved(hostId: string): void {
    this.knownHosts.delete(hostId);
  }

  private deliver(sub: MetricsSubscriber, raws: string[]): void {
    this.stats.messagesOut++;
    sub.send(`{"type":"metrics","samples":[${raws.join(",")}]}`);
  }

  private pushRing(series: string, kind: MetricKind, t: number, v: (number | null)[]): void {
    let ring = this.rings.get(series);
    if (!ring) this.rings.set(series, (ring = new SampleRing(METRIC_NAMES[kind].length, RING_MS, FINE_INTERVAL_MS)));
    ring.push(t, v); // ignores the second sample of a tick (coarse and fine)
  }

  private scheduleWatch(hostId: string, delayMs = 50): void {
    // Debounced: a page that subscribes to 50 rows at once sends one watch to the agent.
    const prev = this.pushTimers.get(hostId);
    if (prev) clearTimeout(prev);
    const timer = setTimeout(() => {
      this.pushTimers.delete(hostId);
      if (!this.hub.isOnline(hostId)) return;
      // Rings of series nobody watches any more are dropped with the watch.
      for (const k of [...this.rings.keys()]) if (!this.watchers.has(k) && parseSeries(k)?.hostId === hostId) this.rings.delete(k);
      this.hub
        .call(hostId, "metrics.watch", { targets: this.watchedTargets(hostId) }, 10_000)
        .catch((err: unknown) => console.warn(`[metrics] watch for host ${hostId} failed: ${(err as Error).message}`));
    }, delayMs);
    timer.unref();
    this.pushTimers.set(hostId, timer);
  }
}
