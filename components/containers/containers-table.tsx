"use client";
// Every container of every host: search, state filter, live rows (pushed by the engine's
// events), CPU sparklines for running ones, actions with confirmation for destructive ones.
import Link from "next/link";
import { useTranslations } from "next-intl";
import { useFormat } from "../i18n/format";
import { containerTarget, useGrants } from "../lib/queries";
import { allows } from "@/server/protocol/access";
import { TagChips } from "../ui/tag-chips";
import { useMemo, useState } from "react";
import { useContainers } from "../lib/container-resources";
import { EmptyState } from "../ui/form";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { FilterSelect, SearchBox } from "../ui/filters";
import { Sparkline } from "../metrics/sparkline";
import { actionsForContainer, ContainerStateBadge } from "./container-state";
import { useContainerActions } from "./use-container-actions";

const collator = new Intl.Collator("en", { numeric: true, sensitivity: "base" });
// "stopped" stands for exited, dead and created (the filter below).
const STATE_FILTERS = ["all", "running", "paused", "stopped"] as const;

export function ContainersTable() {
  const { data, isPending, error } = useContainers();
  const [q, setQ] = useState("");
  const [state, setState] = useState("all");
  const [host, setHost] = useState("all");
  const hosts = useMemo(
    () => [...new Map((data?.rows ?? []).map((r) => [r.hostId, r.hostName])).entries()].sort((a, b) => collator.compare(a[1], b[1])),
    [data],
  );
  const runner = useContainerActions();
  const t = useTranslations("containers");
  const tActions = useTranslations("containers.actions");
  const tConfirm = useTranslations("containers.confirm");
  const tc = useTranslations("common");
  const f = useFormat();
  const tStateFilter = useTranslations("containers.table.stateFilter");
  // Actions per row: the caller's grants on that container (its host and tags).
  const grants = useGrants();
  const canManage = (c: { id: string; hostId: string; tags: string[] }) =>
    grants !== null && allows(grants, "container.manage", containerTarget(c), c.tags);
  const rows = useMemo(() => {
    const needle = q.trim().toLowerCase();
    return (data?.rows ?? [])
      .filter(
        (r) =>
          (host === "all" || r.hostId === host) &&
          (state === "all" || (state === "stopped" ? ["exited", "dead", "created"].includes(r.state) : r.state === state)) &&
          (!needle ||
            r.name.toLowerCase().includes(needle) ||
            r.image.toLowerCase().includes(needle) ||
            r.hostName.toLowerCase().includes(needle) ||
            r.id.startsWith(needle)),
      )
      .sort((a, b) => collator.compare(a.hostName, b.hostName) || collator.compare(a.name, b.name));
  }, [data, q, state, host]);

  if (error) return <EmptyState title={t("table.loadFailed")}>{error.message}</EmptyState>;
  if (isPending) return <p className="text-sm text-slate-500">{t("table.loading")}</p>;
  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-wrap items-center gap-2">
        <SearchBox label={t("table.search")} placeholder={t("table.searchPlaceholder")} value={q} onChange={setQ} />
        <FilterSelect
          label={t("table.filterState")}
          value={state}
          onChange={setState}
          options={STATE_FILTERS.map((s) => [s, tStateFilter(s)] as const)}
        />
        {hosts.length > 1 && (
          <FilterSelect label={t("table.filterHost")} value={host} onChange={setHost} options={[["all", t("table.allHosts")], ...hosts]} />
        )}
        <span className="text-sm text-slate-500" data-testid="container-count">
          {t("table.count", { shown: rows.length, total: data.total })}
        </span>
      </div>
      {!data.rows.length ? (
        <EmptyState title={t("table.emptyTitle")}>{t("table.emptyText")}</EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
          <table className="w-full text-left text-sm" aria-label={t("table.label")}>
            <thead className="border-b border-slate-200 text-slate-500 dark:border-slate-800">
              <tr>
                <th className="px-3 py-2 font-medium">{t("table.name")}</th>
                <th className="px-3 py-2 font-medium">{t("table.image")}</th>
                <th className="px-3 py-2 font-medium">{t("table.state")}</th>
                <th className="px-3 py-2 font-medium">{t("table.host")}</th>
                <th className="px-3 py-2 font-medium">{t("table.ports")}</th>
                <th className="px-3 py-2 font-medium">{t("table.created")}</th>
                <th className="px-3 py-2 font-medium" title={t("table.cpuTitle")}>
                  {t("table.cpu")}
                </th>
                <th className="px-3 py-2 font-medium">{t("table.actions")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((c) => (
                <tr
                  key={`${c.hostId}/${c.id}`}
                  data-testid="container-row"
                  data-name={c.name}
                  className="border-b border-slate-100 last:border-0 dark:border-slate-800"
                >
                  <td className="px-3 py-2">
                    <Link
                      href={`/containers/${c.hostId}/${c.id}`}
                      prefetch={false}
                      className="font-medium text-sky-700 hover:underline dark:text-sky-400"
                    >
                      {c.name}
                    </Link>
                    <div className="flex items-center gap-2 font-mono text-xs text-slate-500">
                      {c.id.slice(0, 12)}
                      <TagChips tags={c.tags} />
                    </div>
                  </td>
                  <td className="max-w-[16rem] truncate px-3 py-2" title={c.image}>
                    {c.image}
                  </td>
                  <td className="px-3 py-2">
                    <ContainerStateBadge state={c.state} stale={c.stale} health={c.health} />
                  </td>
                  <td className="px-3 py-2">
                    {c.hostName}
                    {c.stale && <span className="ml-1 text-xs text-amber-600">{t("table.offline", { ago: f.ago(c.observedAt) })}</span>}
                  </td>
                  <td className="px-3 py-2 font-mono text-xs">
                    {c.ports
                      .filter((p) => p.publicPort)
                      .map((p) => `${p.publicPort}→${p.privatePort}/${p.type}`)
                      .join(", ") || "—"}
                  </td>
                  <td className="px-3 py-2 text-xs text-slate-500">{f.ago(c.createdAt)}</td>
                  <td className="px-3 py-2">
                    {c.state === "running" && !c.stale ? (
                      <Sparkline series={`ct/${c.hostId}/${c.id}`} index={0} unit="percent" max={100} label={t("table.cpuOf", { name: c.name })} />
                    ) : (
                      <span className="text-xs text-slate-400">—</span>
                    )}
                  </td>
                  <td className="px-3 py-2">
                    <span className="flex flex-wrap gap-1">
                      {!c.stale &&
                        canManage(c) &&
                        actionsForContainer(c.state).map((a) => (
                          <button
                            key={a.action}
                            type="button"
                            onClick={() => runner.run(a, c)}
                            aria-label={t("table.actionOn", { action: tActions(a.action), name: c.name })}
                            className={`rounded border px-2 py-0.5 text-xs ${a.confirm ? "border-red-300 text-red-700 hover:bg-red-50 dark:border-red-800 dark:text-red-300" : "border-slate-300 hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"}`}
                          >
                            {tActions(a.action)}
                          </button>
                        ))}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ConfirmDialog
        open={!!runner.pending}
        title={runner.pending ? t("confirm.title", { action: tActions(runner.pending.spec.action), name: runner.pending.c.name }) : ""}
        confirmLabel={runner.pending ? tActions(runner.pending.spec.action) : tc("actions.confirm")}
        danger
        onConfirm={runner.confirm}
        onCancel={runner.cancel}
      >
        {runner.pending?.spec.confirm && tConfirm(runner.pending.spec.confirm)}
      </ConfirmDialog>
    </div>
  );
}
