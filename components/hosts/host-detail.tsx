"use client";
// One host: its facts, live per-core load, file systems and interfaces, and full charts.
import { useTranslations } from "next-intl";
import { useFormat } from "../i18n/format";
import { Breadcrumb } from "../ui/tabs";
import { useHost } from "../lib/resources";
import { EmptyState } from "../ui/form";
import { MetricPanels } from "../metrics/metric-panels";
import { useLatest } from "../metrics/use-series";
import { HostSections } from "./host-sections";
import { memoryText, useHostStatusText } from "./host-status";

function LiveDetail({ series }: { series: string }) {
  const { sample, stale } = useLatest(series);
  const t = useTranslations("hosts.detail");
  const f = useFormat();
  const d = sample?.detail;
  if (!d) return null;
  return (
    <div className={`grid gap-4 text-sm md:grid-cols-3 ${stale ? "opacity-60" : ""}`}>
      <section aria-label={t("cores")}>
        <h2 className="mb-1 font-medium">{t("coresTitle", { count: d.cores.length })}</h2>
        <ul className="grid grid-cols-8 gap-1">
          {d.cores.map((c, i) => (
            <li
              key={i}
              title={t("core", { i, percent: f.number(c, 0) })}
              className="h-8 rounded bg-slate-200 dark:bg-slate-800"
              style={{ background: `linear-gradient(to top, #0284c7 ${c}%, transparent ${c}%)` }}
            >
              <span className="sr-only">{t("core", { i, percent: f.number(c, 0) })}</span>
            </li>
          ))}
        </ul>
      </section>
      <section aria-label={t("fileSystems")}>
        <h2 className="mb-1 font-medium">{t("fileSystems")}</h2>
        <ul>
          {d.mounts.map((m) => (
            <li key={m.mount}>{t("mount", { mount: m.mount, used: f.bytes(m.used), total: f.bytes(m.total) })}</li>
          ))}
          {!d.mounts.length && <li className="text-slate-500">{t("noneReported")}</li>}
        </ul>
      </section>
      <section aria-label={t("interfaces")}>
        <h2 className="mb-1 font-medium">{t("interfacesTitle")}</h2>
        <ul>
          {d.ifaces.map((n) => (
            <li key={n.name}>{t("iface", { name: n.name, rx: `${f.bytes(n.rx)}/s`, tx: `${f.bytes(n.tx)}/s` })}</li>
          ))}
          {!d.ifaces.length && <li className="text-slate-500">{t("none")}</li>}
        </ul>
      </section>
    </div>
  );
}

export function HostDetail({ hostId }: { hostId: string }) {
  const { data, error, isPending } = useHost(hostId);
  const t = useTranslations("hosts.detail");
  const tc = useTranslations("common");
  const f = useFormat();
  const statusText = useHostStatusText();
  if (isPending) return <p className="text-sm text-slate-500">{tc("loading")}</p>;
  if (error || !data) return <EmptyState title={t("notFound")}>{error?.message}</EmptyState>;
  const h = data.host;
  const series = `host/${h.id}`;
  return (
    <div className="flex flex-col gap-4">
      <Breadcrumb href="/hosts" list={t("list")} here={h.name} />
      <div className="flex items-center gap-3">
        <h1 className="text-2xl font-semibold">{h.name}</h1>
        <span className="text-sm text-slate-500">{statusText(h)}</span>
      </div>
      <HostSections hostId={h.id} />
      {h.facts && (
        <p className="text-sm text-slate-500">
          {t("facts", {
            os: h.facts.os,
            kernel: h.facts.kernel,
            cpuCount: h.facts.cpuCount,
            cpuModel: h.facts.cpuModel,
            memory: memoryText(h.facts.memoryBytes, f),
            machines: h.machineCount,
          })}
        </p>
      )}
      <LiveDetail series={series} />
      <MetricPanels series={series} kind="host" cores={h.facts?.cpuCount} />
    </div>
  );
}
