// Metric history, downsampled in two tiers and kept in chunk rows (one row = one series
// over a fixed window at one resolution, as deflated Float32 columns; NaN = not observed).
// Open chunks live in memory and are written every FLUSH_MS and at shutdown, so a crash
// loses at most that much history; a restart reloads the open chunks and carries on.
// Why chunks and not a row per sample: docs/decisions/0003-metric-history.md.
import { deflateRawSync, inflateRawSync } from "node:zlib";
import type { Db } from "../db/client";

export interface Tier {
  /** Seconds per slot. */
  sec: number;
  /** Window one row covers. */
  chunkMs: number;
  retentionMs: number;
}

export const TIERS: readonly Tier[] = [
  { sec: 10, chunkMs: 3_600_000, retentionMs: 25 * 3_600_000 },
  { sec: 60, chunkMs: 6 * 3_600_000, retentionMs: 31 * 86_400_000 },
];
export const FLUSH_MS = 30_000;
const FLUSH_BATCH = 25;

class Chunk {
  readonly slots: number;
  readonly cols: Float32Array[];
  /** Samples averaged into each slot (the 1-minute tier averages six 10 s samples). */
  readonly counts: Uint8Array;
  dirty = false;

  constructor(
    readonly series: string,
    readonly tier: Tier,
    readonly start: number,
    readonly names: readonly string[],
    data?: Buffer,
  ) {
    this.slots = tier.chunkMs / (tier.sec * 1000);
    this.counts = new Uint8Array(this.slots);
    const flat = new Float32Array(this.slots * names.length).fill(NaN);
    if (data) {
      const raw = inflateRawSync(data);
      const stored = new Float32Array(raw.buffer, raw.byteOffset, Math.min(flat.length, raw.byteLength / 4));
      flat.set(stored);
    }
    this.cols = names.map((_, i) => flat.subarray(i * this.slots, (i + 1) * this.slots));
    if (data) for (let s = 0; s < this.slots; s++) if (this.cols.some((c) => !Number.isNaN(c[s]!))) this.counts[s] = 1;
  }

  put(t: number, v: readonly (number | null)[]): void {
    const slot = Math.floor((t - this.start) / (this.tier.sec * 1000));
    if (slot < 0 || slot >= this.slots) return;
    const n = this.counts[slot]!;
    for (let i = 0; i < this.cols.length; i++) {
      const x = v[i];
      if (x === null || x === undefined || !Number.isFinite(x)) continue;
      const col = this.cols[i]!;
      const old = col[slot]!;
      col[slot] = n === 0 || Number.isNaN(old) ? x : old + (x - old) / (n + 1);
    }
    if (n < 255) this.counts[slot] = n + 1;
    this.dirty = true;
  }

  encode(): Uint8Array<ArrayBuffer> {
    const flat = new Float32Array(this.slots * this.cols.length);
    this.cols.forEach((c, i) => flat.set(c, i * this.slots));
    const z = deflateRawSync(Buffer.from(flat.buffer), { level: 1 });
    // A copy into a plain ArrayBuffer, the byte type Prisma's Bytes fields take.
    return new Uint8Array(z);
  }
}

export interface HistoryGrid {
  stepMs: number;
  t: number[];
  values: (number | null)[][];
}

export class HistoryStore {
  private readonly open = new Map<string, Chunk>();
  private readonly timers: NodeJS.Timeout[] = [];
  private flushing: Promise<void> | null = null;
  /** Rows written and time spent, for the benchmark and the decision record. */
  readonly stats = { flushes: 0, rowsWritten: 0, lastFlushMs: 0 };

  constructor(private readonly db: Db) {}

  /** Reloads the chunks still open (written before a restart), then flushes and prunes periodically. */
  async start(now = Date.now()): Promise<void> {
    for (const tier of TIERS) {
      const rows = await this.db.metricChunk.findMany({ where: { tier: tier.sec, start: { gte: new Date(floor(now, tier.chunkMs)) } } });
      for (const r of rows) {
        const c = new Chunk(r.series, tier, r.start.getTime(), JSON.parse(r.names) as string[], Buffer.from(r.data));
        this.open.set(key(r.series, tier.sec, c.start), c);
      }
    }
    await this.prune(now);
    this.timers.push(setInterval(() => void this.flush().catch((e: unknown) => console.error("[metrics] history flush failed:", e)), FLUSH_MS));
    this.timers.push(setInterval(() => void this.prune().catch(() => undefined), 10 * 60_000));
    for (const t of this.timers) t.unref();
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    await this.flush();
  }

  /** Adds one coarse sample to every tier. */
  record(series: string, names: readonly string[], t: number, v: readonly (number | null)[]): void {
    for (const tier of TIERS) {
      const start = floor(t, tier.chunkMs);
      const k = key(series, tier.sec, start);
      let c = this.open.get(k);
      if (!c || c.names.length !== names.length) {
        c = new Chunk(series, tier, start, names);
        this.open.set(k, c);
      }
      c.put(t, v);
    }
  }

  /** Writes dirty chunks; chunks whose window has passed are then dropped from memory. */
  async flush(now = Date.now()): Promise<void> {
    if (this.flushing) return this.flushing;
    this.flushing = (async () => {
      const started = performance.now();
      const dirty = [...this.open.values()].filter((c) => c.dirty);
      for (const c of dirty) c.dirty = false;
      // Small batches with a turn of the event loop between them: a 1,000-VM flush must
      // not hold up live samples (SQLite writes through better-sqlite3 are synchronous).
      for (let i = 0; i < dirty.length; i += FLUSH_BATCH) {
        if (i) await new Promise((r) => setImmediate(r));
        const batch = dirty.slice(i, i + FLUSH_BATCH);
        try {
          await this.db.$transaction(
            batch.map((c) => {
              const data = c.encode();
              const names = JSON.stringify(c.names);
              const where = { series_tier_start: { series: c.series, tier: c.tier.sec, start: new Date(c.start) } };
              return this.db.metricChunk.upsert({
                where,
                create: { series: c.series, tier: c.tier.sec, start: new Date(c.start), names, data },
                update: { names, data },
              });
            }),
          );
          this.stats.rowsWritten += batch.length;
        } catch (err) {
          for (const c of batch) c.dirty = true; // retried on the next flush
          throw err;
        }
      }
      for (const [k, c] of this.open) if (!c.dirty && c.start + c.tier.chunkMs + c.tier.sec * 1000 < now) this.open.delete(k);
      this.stats.flushes++;
      this.stats.lastFlushMs = Math.round(performance.now() - started);
    })().finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  async prune(now = Date.now()): Promise<number> {
    let n = 0;
    for (const tier of TIERS) {
      const r = await this.db.metricChunk.deleteMany({ where: { tier: tier.sec, start: { lt: new Date(now - tier.retentionMs - tier.chunkMs) } } });
      n += r.count;
    }
    return n;
  }

  /** Removes a series' history (its machine or host was deleted). */
  async forget(prefix: string): Promise<void> {
    for (const k of [...this.open.keys()]) if (k.startsWith(prefix)) this.open.delete(k);
    await this.db.metricChunk.deleteMany({ where: { series: { startsWith: prefix } } });
  }

  /** Picks the finest tier that still keeps `from`, for spans up to a day; coarser beyond. */
  tierFor(from: number, to: number, now = Date.now()): Tier {
    const fine = TIERS[0]!;
    return to - from <= 86_400_000 + 60_000 && now - from <= fine.retentionMs ? fine : TIERS[1]!;
  }

  /** A regular grid over [from, to] at the tier's step; null where nothing was observed. */
  async query(series: string, names: readonly string[], from: number, to: number, tier = this.tierFor(from, to)): Promise<HistoryGrid> {
    const stepMs = tier.sec * 1000;
    const first = floor(from, tier.chunkMs);
    const chunks = new Map<number, Chunk>();
    const missing: Date[] = [];
    for (let s = first; s <= to; s += tier.chunkMs) {
      const c = this.open.get(key(series, tier.sec, s));
      if (c) chunks.set(s, c);
      else missing.push(new Date(s));
    }
    if (missing.length) {
      const rows = await this.db.metricChunk.findMany({ where: { series, tier: tier.sec, start: { in: missing } } });
      for (const r of rows)
        chunks.set(r.start.getTime(), new Chunk(series, tier, r.start.getTime(), JSON.parse(r.names) as string[], Buffer.from(r.data)));
    }
    const t: number[] = [];
    const values: (number | null)[][] = names.map(() => []);
    const colIndex = new Map<Chunk, number[]>();
    for (let x = Math.ceil(from / stepMs) * stepMs; x <= to; x += stepMs) {
      t.push(x);
      const c = chunks.get(floor(x, tier.chunkMs));
      const slot = c ? Math.floor((x - c.start) / stepMs) : -1;
      let idx = c ? colIndex.get(c) : undefined;
      if (c && !idx) {
        idx = names.map((n) => c.names.indexOf(n));
        colIndex.set(c, idx);
      }
      for (let i = 0; i < names.length; i++) {
        const ci = idx?.[i] ?? -1;
        const val = c && ci >= 0 ? c.cols[ci]![slot]! : NaN;
        values[i]!.push(Number.isNaN(val) ? null : val);
      }
    }
    return { stepMs, t, values };
  }

  /** Open chunks held in memory (for the memory bound in the decision record). */
  get openChunks(): number {
    return this.open.size;
  }
}

function floor(t: number, ms: number): number {
  return Math.floor(t / ms) * ms;
}

function key(series: string, tier: number, start: number): string {
  return `${series}|${tier}|${start}`;
}
