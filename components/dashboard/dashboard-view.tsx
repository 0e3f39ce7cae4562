"use client";
// Fleet at a glance: hosts up/down, machines running/stopped, vCPUs and memory allocated
// against what the online hosts have, and the busiest hosts and machines right now.
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useFormat } from "../i18n/format";
import type { BusyRow as Busy } from "@/server/protocol/metrics";
import { fetchDashboard } from "../lib/resources";
import { keys } from "../lib/query-keys";
import { EmptyState } from "../ui/form";
import { formatValue } from "../metrics/format";
import { Sparkline } from "../metrics/sparkline";

function Tile({ label, value, sub, testId }: { label: string; value: string; sub?: string; testId?: string }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900" data-testid={testId}>
      <div className="text-sm text-slate-500">{label}</div>
      <div className="text-2xl font-semibold tabular-nums">{value}</div>
      {sub && <div className="text-xs text-slate-500">{sub}</div>}
    </div>
  );
}

function Meter({ label, used, total, unit }: { label: string; used: number; total: number; unit: "bytes" | "vcpus" }) {
  const t = useTranslations("dashboard.meter");
  const f = useFormat();
  const pct = total > 0 ? Math.min(100, (used / total) * 100) : 0;
  const fmt = (v: number) => (unit === "bytes" ? formatValue(v, "bytes", f.locale) : f.number(v));
  const detail = total > 0 ? `${f.number(Math.round((used / total) * 100))} %` : t("noHosts");
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
      <div className="flex flex-col text-sm">
        <span className="text-slate-500">{label}</span>
        <span className="text-lg font-semibold tabular-nums">
          {unit === "vcpus" ? t("cores", { used: fmt(used), total: fmt(total), detail }) : t("bytes", { used: fmt(used), total: fmt(total), detail })}
        </span>
      </div>
      <div
        className="mt-2 h-2 rounded bg-slate-200 dark:bg-slate-800"
        role="meter"
        aria-label={label}
        aria-valuenow={Math.round(pct)}
        aria-valuemin={0}
        aria-valuemax={100}
      >
        <div className={`h-2 rounded ${used > total ? "bg-amber-500" : "bg-sky-600"}`} style={{ width: `${pct}%` }} />
      </div>
      {used > total && <p className="mt-1 text-xs text-amber-600">{t("overcommitted")}</p>}
    </div>
  );
}

function BusyList({ title, rows, empty }: { title: string; rows: Busy[]; empty: string }) {
  const t = useTranslations("dashboard");
  return (
    <section className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900" aria-label={title}>
      <h2 className="mb-2 font-medium">{title}</h2>
      {rows.length ? (
        <ol className="flex flex-col gap-1 text-sm">
          {rows.map((r) => {
            const [kind, hostId, id] = r.series.split("/");
            const href = kind === "host" ? `/hosts/${hostId}` : `/machines/${hostId}/${id}`;
            return (
              <li key={r.series} className="flex items-center justify-between gap-2">
                <Link href={href} className="truncate text-sky-700 hover:underline dark:text-sky-400">
                  {r.name}
                  {kind !== "host" && <span className="ml-1 text-xs text-slate-500">{t("onHost", { host: r.hostName })}</span>}
                </Link>
                <Sparkline series={r.series} index={0} unit="percent" max={100} label={t("cpuOf", { name: r.name })} />
              </li>
            );
          })}
        </ol>
      ) : (
        <p className="text-sm text-slate-500">{empty}</p>
      )}
    </section>
  );
}

export function DashboardView() {
  // Refreshed by push: machine and host events, and "metrics.fleet" when new 10 s samples
  // change the ranking (see live-events.ts).
  const { data, error, isPending } = useQuery({ queryKey: keys.metrics.dashboard(), queryFn: fetchDashboard });
  const t = useTranslations("dashboard");
  const tc = useTranslations("common");
  if (isPending) return <p className="text-sm text-slate-500">{tc("loading")}</p>;
  if (error || !data) return <EmptyState title={t("loadFailed")}>{error?.message}</EmptyState>;
  const hostsTotal = data.hosts.online + data.hosts.offline + data.hosts.pending;
  if (!hostsTotal) return <EmptyState title={t("emptyTitle")}>{t("emptyText")}</EmptyState>;
  return (
    <div className="flex flex-col gap-4">
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
        <Tile
          testId="tile-hosts"
          label={t("hostsOnline")}
          value={`${data.hosts.online} / ${hostsTotal}`}
          sub={data.hosts.offline ? t("hostsOffline", { count: data.hosts.offline }) : t("allReachable")}
        />
        <Tile
          testId="tile-machines"
          label={t("machinesRunning")}
          value={`${data.machines.running}`}
          sub={
            data.machines.other
              ? t("stoppedOther", { stopped: data.machines.stopped, other: data.machines.other })
              : t("stopped", { stopped: data.machines.stopped })
          }
        />
        <Meter label={t("vcpus")} used={data.cpu.allocatedVcpus} total={data.cpu.hostCores} unit="vcpus" />
        <Meter label={t("memory")} used={data.memory.allocatedBytes} total={data.memory.hostBytes} unit="bytes" />
      </div>
      <div className="grid gap-3 md:grid-cols-2">
        <BusyList title={t("busiestHosts")} rows={data.busiestHosts} empty={t("noHostSample")} />
        <BusyList title={t("busiestMachines")} rows={data.busiestMachines} empty={t("noMachineSample")} />
      </div>
    </div>
  );
}
