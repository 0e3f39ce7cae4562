"use client";
import { Breadcrumb } from "../ui/tabs";
// One host: its facts, live per-core load, file systems and interfaces, and full charts.
import { useHost } from "../lib/resources";
import { EmptyState } from "../ui/form";
import { ago, formatMemory } from "../machines/state-badge";
import { MetricPanels } from "../metrics/metric-panels";
import { useLatest } from "../metrics/use-series";
import { formatValue } from "../metrics/format";
import { HostSections } from "./host-sections";

function LiveDetail({ series }: { series: string }) {
  const { sample, stale } = useLatest(series);
  const d = sample?.detail;
  if (!d) return null;
  return (
    <div className={`grid gap-4 text-sm md:grid-cols-3 ${stale ? "opacity-60" : ""}`}>
      <section aria-label="CPU cores">
        <h2 className="mb-1 font-medium">Cores ({d.cores.length})</h2>
        <ul className="grid grid-cols-8 gap-1">
          {d.cores.map((c, i) => (
            <li
              key={i}
              title={`core ${i}: ${c.toFixed(0)} %`}
              className="h-8 rounded bg-slate-200 dark:bg-slate-800"
              style={{ background: `linear-gradient(to top, #0284c7 ${c}%, transparent ${c}%)` }}
            >
              <span className="sr-only">
                core {i}: {c.toFixed(0)} %
              </span>
            </li>
          ))}
        </ul>
      </section>
      <section aria-label="File systems">
        <h2 className="mb-1 font-medium">File systems</h2>
        <ul>
          {d.mounts.map((m) => (
            <li key={m.mount}>
              {m.mount}: {formatValue(m.used, "bytes")} of {formatValue(m.total, "bytes")}
            </li>
          ))}
          {!d.mounts.length && <li className="text-slate-500">none reported</li>}
        </ul>
      </section>
      <section aria-label="Network interfaces">
        <h2 className="mb-1 font-medium">Interfaces</h2>
        <ul>
          {d.ifaces.map((n) => (
            <li key={n.name}>
              {n.name}: ↓ {formatValue(n.rx, "rate")} ↑ {formatValue(n.tx, "rate")}
            </li>
          ))}
          {!d.ifaces.length && <li className="text-slate-500">none</li>}
        </ul>
      </section>
    </div>
  );
}

export function HostDetail({ hostId }: { hostId: string }) {
  const { data, error, isPending } = useHost(hostId);
  if (isPending) return <p className="text-sm text-slate-500">Loading…</p>;
  if (error || !data) return <EmptyState title="Host not found">{error?.message}</EmptyState>;
  const h = data.host;
  const series = `host/${h.id}`;
  return (
    <div className="flex flex-col gap-4">
      <Breadcrumb href="/hosts" list="Hosts" here={h.name} />
      <div className="flex items-center gap-3">
        <h1 className="text-2xl font-semibold">{h.name}</h1>
        <span className="text-sm text-slate-500">
          {h.status === "online" ? "online" : h.status === "pending" ? "waiting for agent" : `offline, last seen ${ago(h.lastSeenAt)}`}
        </span>
      </div>
      <HostSections hostId={h.id} />
      {h.facts && (
        <p className="text-sm text-slate-500">
          {h.facts.os} · kernel {h.facts.kernel} · {h.facts.cpuCount} × {h.facts.cpuModel} · {formatMemory(h.facts.memoryBytes / 1024)} ·{" "}
          {h.machineCount} machines
        </p>
      )}
      <LiveDetail series={series} />
      <MetricPanels series={series} kind="host" cores={h.facts?.cpuCount} />
    </div>
  );
}
