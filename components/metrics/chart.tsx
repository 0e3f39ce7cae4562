"use client";
// A uPlot time-series chart. Sized to its container; hover shows values with units in the
// legend; null values are drawn as gaps. Updates reuse the instance (setData), so a live
// chart costs one redraw per second.
import { useTranslations } from "next-intl";
import { useEffect, useRef, useState } from "react";
import { formatDate, formatTicks, useFormat } from "../i18n/format";
import type uPlot from "uplot";
import { formatValue, type Unit } from "./format";
import { loadUPlot, themeColors } from "./uplot-loader";
import type { SeriesData } from "./use-series";

export interface ChartLine {
  /** Index into the series' values. */
  index: number;
  label: string;
  color: string;
}

const HEIGHT = 160;

export function Chart({
  title,
  data,
  lines,
  unit,
  max,
  testId,
}: {
  title: string;
  data: SeriesData;
  lines: ChartLine[];
  unit: Unit;
  max?: number;
  testId?: string;
}) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const [width, setWidth] = useState(0);
  const { locale } = useFormat();
  const t = useTranslations("metrics");
  const aligned = (): uPlot.AlignedData => [data.t, ...lines.map((l) => data.values[l.index] ?? data.t.map(() => null))];

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const ro = new ResizeObserver(([e]) => setWidth(Math.floor(e!.contentRect.width)));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  useEffect(() => {
    const el = host.current;
    if (!el || !width) return;
    let cancelled = false;
    void loadUPlot().then((UPlot) => {
      if (cancelled) return;
      const c = themeColors();
      const fmt = (_u: uPlot, v: number | null) => formatValue(v, unit, locale);
      const opts: uPlot.Options = {
        width,
        height: HEIGHT,
        legend: { live: true },
        cursor: { drag: { x: false, y: false } },
        scales: { x: { time: true }, y: max !== undefined ? { range: [0, max] } : { range: (_u, _min, hi) => [0, hi > 0 ? hi * 1.1 : 1] } },
        axes: [
          { stroke: c.axis, grid: { stroke: c.grid }, values: (_u, ticks) => formatTicks(ticks, locale) },
          { stroke: c.axis, grid: { stroke: c.grid }, size: 70, values: (_u, ticks) => ticks.map((v) => formatValue(v, unit, locale)) },
        ],
        series: [
          { label: t("time"), value: (_u, v) => (v === null ? "—" : formatDate(v * 1000, locale, "time")) },
          ...lines.map((l) => ({
            label: l.label,
            stroke: l.color,
            width: 1.5,
            fill: `${l.color}22`,
            value: fmt,
            spanGaps: false,
            points: { show: false },
          })),
        ],
      };
      plot.current?.destroy();
      plot.current = new UPlot(opts, aligned(), el);
    });
    return () => {
      cancelled = true;
      plot.current?.destroy();
      plot.current = null;
    };
    // Rebuilt only when the shape changes; data updates go through setData below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [width, unit, max, locale, lines.map((l) => l.label).join()]);

  useEffect(() => {
    plot.current?.setData(aligned());
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [data]);

  const lastT = data.t.at(-1);
  return (
    <figure
      className="rounded-lg border border-slate-200 bg-white p-3 dark:border-slate-800 dark:bg-slate-900"
      data-testid={testId}
      data-points={data.t.length}
      data-last={lastT ?? ""}
    >
      <figcaption className="mb-1 text-sm font-medium">{title}</figcaption>
      <div ref={host} className="w-full" style={{ minHeight: HEIGHT + 40 }} />
    </figure>
  );
}
