"use client";
// Full charts for a host or a machine: CPU, memory, disk and network, with a time range
// (5 min … 7 days) and a live tail. Says what 100 % means and when memory is not reported.
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useFormat } from "../i18n/format";
import { CONTAINER_METRICS, HISTORY_RANGES, HOST_METRICS, VM_METRICS, type HistoryRange } from "@/server/protocol/metric-names";
import { Chart, type ChartLine } from "./chart";
import { formatValue } from "./format";
import { useLatest, useSeries } from "./use-series";

/** Long ranges are thinned to about two points per pixel of a chart this wide. */
const CHART_WIDTH = 800;
const BLUE = "#0284c7";
const GREEN = "#16a34a";
const AMBER = "#d97706";
const VIOLET = "#7c3aed";

function RangePicker({ value, onChange }: { value: HistoryRange; onChange: (r: HistoryRange) => void }) {
  const t = useTranslations("metrics");
  return (
    <div
      role="radiogroup"
      aria-label={t("range")}
      className="inline-flex overflow-hidden rounded border border-slate-300 text-sm dark:border-slate-700"
    >
      {(Object.keys(HISTORY_RANGES) as HistoryRange[]).map((r) => (
        <button
          key={r}
          type="button"
          role="radio"
          aria-checked={value === r}
          onClick={() => onChange(r)}
          className={`px-3 py-1 ${value === r ? "bg-sky-600 text-white" : "hover:bg-slate-100 dark:hover:bg-slate-800"}`}
        >
          {r}
        </button>
      ))}
    </div>
  );
}

const idx = (names: readonly string[], n: string) => names.indexOf(n);
const line = (names: readonly string[], n: string, label: string, color: string): ChartLine => ({ index: idx(names, n), label, color });

export function MetricPanels({ series, kind, cores, vcpus }: { series: string; kind: "host" | "vm" | "ct"; cores?: number; vcpus?: number }) {
  const [range, setRange] = useState<HistoryRange>("5m");
  const t = useTranslations("metrics");
  const f = useFormat();
  const data = useSeries(series, range, CHART_WIDTH);
  const { sample, stale } = useLatest(series);
  const names = kind === "host" ? HOST_METRICS : kind === "vm" ? VM_METRICS : CONTAINER_METRICS;
  const memUsedIdx = idx(names, "mem.used");
  const memReported = kind !== "vm" || (sample ? sample.v[memUsedIdx] !== null : true);
  const ctCpus = kind === "ct" ? sample?.v[idx(names, "cpus")] : null;
  const cpuTitle =
    kind === "host"
      ? t("cpuHost", { cores: cores ?? "?" })
      : kind === "vm"
        ? t("cpuVm", { vcpus: vcpus ?? "?" })
        : t("cpuCt", { cpus: ctCpus ?? "?" });
  return (
    <section aria-label={t("title")} className="flex flex-col gap-3" data-testid="metric-panels">
      <div className="flex flex-wrap items-center gap-3">
        <h2 className="font-medium">{t("title")}</h2>
        <RangePicker value={range} onChange={setRange} />
        <span className={`text-sm ${stale ? "text-amber-600" : "text-slate-500"}`} data-testid="metrics-freshness">
          {!sample
            ? t("waiting")
            : stale
              ? t("stale", { time: f.date(sample.t, "time") })
              : t("live", { cpu: formatValue(sample.v[0], "percent", f.locale) })}
        </span>
      </div>
      {data.error && <p className="text-sm text-red-600">{t("historyFailed", { error: data.error.message })}</p>}
      <div className="grid gap-3 lg:grid-cols-2">
        <Chart testId="chart-cpu" title={cpuTitle} data={data} unit="percent" max={100} lines={[line(names, "cpu", t("cpu"), BLUE)]} />
        {kind === "host" ? (
          <Chart
            testId="chart-memory"
            title={t("memory")}
            data={data}
            unit="bytes"
            lines={[
              line(names, "mem.used", t("used"), VIOLET),
              line(names, "mem.total", t("total"), "#64748b"),
              line(names, "swap.used", t("swapUsed"), AMBER),
            ]}
          />
        ) : kind === "ct" ? (
          <Chart
            testId="chart-memory"
            title={t("memory")}
            data={data}
            unit="bytes"
            lines={[line(names, "mem.used", t("used"), VIOLET), line(names, "mem.limit", t("limit"), "#64748b")]}
          />
        ) : (
          <div>
            <Chart
              testId="chart-memory"
              title={t("memory")}
              data={data}
              unit="bytes"
              lines={[line(names, "mem.actual", t("allocated"), "#64748b"), line(names, "mem.used", t("usedByGuest"), VIOLET)]}
            />
            {!memReported && <p className="mt-1 text-xs text-slate-500">{t("memNotReported")}</p>}
          </div>
        )}
        <Chart
          testId="chart-disk"
          title={t("disk")}
          data={data}
          unit="rate"
          lines={[line(names, "disk.read", t("read"), GREEN), line(names, "disk.write", t("write"), AMBER)]}
        />
        <Chart
          testId="chart-net"
          title={t("network")}
          data={data}
          unit="rate"
          lines={[line(names, "net.rx", t("received"), BLUE), line(names, "net.tx", t("sent"), VIOLET)]}
        />
      </div>
    </section>
  );
}
