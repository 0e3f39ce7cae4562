// Which of a job's backups (or snapshots) to keep after a successful run: the union of the
// newest `last`, the newest of each of the `daily` most recent days that have one, and the
// newest of each of the `weekly` most recent ISO weeks that have one (days and weeks in the
// job's time zone). No rule at all keeps everything.
import { z } from "zod";

export const Retention = z.strictObject({
  last: z.number().int().min(1).max(10_000).optional(),
  daily: z.number().int().min(1).max(10_000).optional(),
  weekly: z.number().int().min(1).max(10_000).optional(),
});
export type Retention = z.infer<typeof Retention>;

function localDay(d: Date, timeZone: string): { y: number; m: number; day: number } {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).formatToParts(d);
  const n = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  return { y: n("year"), m: n("month"), day: n("day") };
}

export function dayKey(d: Date, timeZone: string): string {
  const { y, m, day } = localDay(d, timeZone);
  return `${y}-${m}-${day}`;
}

/** ISO 8601 week ("2026-W49") of the local date. */
export function weekKey(d: Date, timeZone: string): string {
  const { y, m, day } = localDay(d, timeZone);
  const t = new Date(Date.UTC(y, m - 1, day));
  const dow = t.getUTCDay() || 7;
  t.setUTCDate(t.getUTCDate() + 4 - dow);
  const yearStart = Date.UTC(t.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((t.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${t.getUTCFullYear()}-W${week}`;
}

/** The ids to delete among `items` (any order), under `r`. */
export function toPrune<T extends { id: string; at: Date }>(items: readonly T[], r: Retention, timeZone: string): T[] {
  if (!r.last && !r.daily && !r.weekly) return [];
  const newest = [...items].sort((a, b) => b.at.getTime() - a.at.getTime());
  const keep = new Set<string>();
  for (const x of newest.slice(0, r.last ?? 0)) keep.add(x.id);
  const perBucket = (n: number | undefined, key: (d: Date) => string) => {
    if (!n) return;
    const seen = new Set<string>();
    for (const x of newest) {
      const k = key(x.at);
      if (seen.has(k)) continue;
      if (seen.size >= n) break;
      seen.add(k);
      keep.add(x.id);
    }
  };
  perBucket(r.daily, (d) => dayKey(d, timeZone));
  perBucket(r.weekly, (d) => weekKey(d, timeZone));
  return newest.filter((x) => !keep.has(x.id));
}
