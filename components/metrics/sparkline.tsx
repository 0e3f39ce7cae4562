"use client";
// A table-cell sparkline of one metric's last minute, live. Gaps stay gaps; the current
// value is printed next to it, greyed when stale.
import { useTranslations } from "next-intl";
import { useEffect, useRef, useState } from "react";
import { useFormat } from "../i18n/format";
import type uPlot from "uplot";
import type { SeriesSample } from "@/server/protocol/metrics";
import { FINE_INTERVAL_MS } from "@/server/protocol/metric-names";
import { formatValue, type Unit } from "./format";
import { metricsClient } from "./metrics-client";
import { loadUPlot } from "./uplot-loader";

const POINTS = 60;

export function Sparkline({ series, index, unit, max, label }: { series: string; index: number; unit: Unit; max?: number; label: string }) {
  const el = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const buf = useRef<{ t: number[]; v: (number | null)[] }>({ t: [], v: [] });
  const [last, setLast] = useState<{ v: number | null; t: number } | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const t = useTranslations("metrics");
  const f = useFormat();

  useEffect(() => {
    let cancelled = false;
    void loadUPlot().then((UPlot) => {
      if (cancelled || !el.current) return;
      plot.current = new UPlot(
        {
          width: 96,
          height: 24,
          legend: { show: false },
          cursor: { show: false },
          axes: [{ show: false }, { show: false }],
          scales: { x: { time: false }, y: { range: max !== undefined ? [0, max] : (_u, _lo, hi) => [0, hi > 0 ? hi : 1] } },
          series: [{}, { stroke: "#0284c7", width: 1.25, fill: "#0284c722", spanGaps: false, points: { show: false } }],
        },
        [buf.current.t, buf.current.v],
        el.current,
      );
    });
    const b = buf.current;
    const off = metricsClient.subscribe(series, (s: SeriesSample) => {
      const prev = b.t.at(-1);
      if (prev !== undefined && s.t <= prev) return;
      if (prev !== undefined && s.t - prev > 3 * FINE_INTERVAL_MS) {
        b.t.push(prev + FINE_INTERVAL_MS);
        b.v.push(null);
      }
      b.t.push(s.t);
      b.v.push(s.v[index] ?? null);
      while (b.t.length > POINTS) {
        b.t.shift();
        b.v.shift();
      }
      plot.current?.setData([b.t.slice(), b.v.slice()]);
      setLast({ v: s.v[index] ?? null, t: s.t });
    });
    const tick = setInterval(() => setNow(Date.now()), 1000);
    return () => {
      cancelled = true;
      off();
      clearInterval(tick);
      plot.current?.destroy();
      plot.current = null;
    };
  }, [series, index, max]);

  const stale = !last || now - last.t > 3 * FINE_INTERVAL_MS;
  return (
    <span className="inline-flex items-center gap-2" data-testid="sparkline" data-series={series}>
      <span ref={el} aria-hidden className="inline-block h-6 w-24 overflow-hidden rounded bg-slate-100 dark:bg-slate-800" />
      <span className={`w-16 text-xs tabular-nums ${stale ? "text-slate-400" : ""}`} aria-label={label} title={stale ? t("sparkStale") : undefined}>
        {last ? formatValue(last.v, unit, f.locale) : "—"}
      </span>
    </span>
  );
}
