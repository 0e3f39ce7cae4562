"use client";
// One series for a chart: its history for the chosen range (REST, cached per range) with
// the live tail appended from the event socket. Samples more than 3 intervals apart get a
// null between them, so an offline host shows as a gap, never as a line through it.
import { useQuery } from "@tanstack/react-query";
import { useEffect, useMemo, useState } from "react";
import type { MetricHistory, SeriesSample } from "@/server/protocol/metrics";
import { FINE_INTERVAL_MS, HISTORY_RANGES, type HistoryRange } from "@/server/protocol/metric-names";
import { api } from "../lib/api";
import { keys } from "../lib/query-keys";
import { metricsClient } from "./metrics-client";

export interface SeriesData {
  /** Seconds (uPlot's time unit). */
  t: number[];
  values: (number | null)[][];
}

const LIVE_MAX = 3600;

/** The newest sample of a series, and whether it is stale (older than three intervals). */
export function useLatest(series: string | null): { sample: SeriesSample | null; stale: boolean } {
  const [sample, setSample] = useState<SeriesSample | null>(() => (series ? (metricsClient.latestOf(series) ?? null) : null));
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!series) return;
    const off = metricsClient.subscribe(series, setSample);
    const tick = setInterval(() => setNow(Date.now()), 1000);
    return () => {
      off();
      clearInterval(tick);
    };
  }, [series]);
  return { sample, stale: !sample || now - sample.t > 3 * FINE_INTERVAL_MS };
}

/** Appends live samples (up to an hour of them) for as long as the component is mounted. */
function useLiveTail(series: string | null): SeriesSample[] {
  const [tail, setTail] = useState<SeriesSample[]>([]);
  useEffect(() => {
    setTail([]);
    if (!series) return;
    return metricsClient.subscribe(series, (s) =>
      setTail((old) => {
        if (old.length && old[old.length - 1]!.t >= s.t) return old;
        const next = old.length >= LIVE_MAX ? old.slice(old.length - LIVE_MAX + 1) : old.slice();
        next.push(s);
        return next;
      }),
    );
  }, [series]);
  return tail;
}

export function useSeries(
  series: string | null,
  range: HistoryRange,
  width: number,
): SeriesData & { names: readonly string[]; isPending: boolean; error: Error | null } {
  const history = useQuery({
    queryKey: keys.metrics.history(series ?? "", range),
    queryFn: () => api<MetricHistory>(`/api/metrics/history?series=${encodeURIComponent(series!)}&range=${range}`),
    enabled: !!series,
    // The live tail carries on from the fetched history; refetch only when the range changes.
    staleTime: Infinity,
  });
  const tail = useLiveTail(series);
  const data = useMemo(() => merge(history.data, tail, HISTORY_RANGES[range], width), [history.data, tail, range, width]);
  return { ...data, names: history.data?.names ?? [], isPending: history.isPending, error: history.error };
}

function merge(h: MetricHistory | undefined, tail: SeriesSample[], spanMs: number, width: number): SeriesData {
  const t: number[] = [];
  const n = h?.names.length ?? tail[0]?.v.length ?? 0;
  const values: (number | null)[][] = Array.from({ length: n }, () => []);
  const cutoff = (tail.at(-1)?.t ?? Date.now()) - spanMs;
  const firstLive = tail[0]?.t ?? Infinity;
  let prev = -Infinity;
  let prevStep = h?.stepMs ?? FINE_INTERVAL_MS;
  const push = (x: number, v: readonly (number | null)[], step: number) => {
    if (x < cutoff) return;
    // A hole longer than three intervals: a null point breaks the line.
    if (prev > -Infinity && x - prev > 3 * Math.max(step, prevStep)) {
      t.push((prev + step) / 1000);
      for (const col of values) col.push(null);
    }
    t.push(x / 1000);
    for (let i = 0; i < n; i++) values[i]!.push(v[i] ?? null);
    prev = x;
    prevStep = step;
  };
  if (h) {
    for (let i = 0; i < h.t.length; i++) {
      if (h.t[i]! >= firstLive) break;
      push(
        h.t[i]!,
        h.values.map((col) => col[i]!),
        h.stepMs,
      );
    }
  }
  for (const s of tail) push(s.t, s.v, FINE_INTERVAL_MS);
  // Long ranges of 1 s samples are thinned to about two points per pixel.
  return thin({ t, values }, Math.max(200, width * 2));
}

function thin(d: SeriesData, max: number): SeriesData {
  if (d.t.length <= max) return d;
  const every = Math.ceil(d.t.length / max);
  const keep = (_: unknown, i: number) => i % every === 0 || i === d.t.length - 1 || d.values[0]?.[i] === null;
  return { t: d.t.filter(keep), values: d.values.map((col) => col.filter(keep)) };
}
