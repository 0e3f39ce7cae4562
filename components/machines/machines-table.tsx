"use client";
// All VMs of all hosts in one table: search, filter, sort, bulk actions. Rows are
// virtualized so 1,000+ machines stay smooth; live changes arrive by push.
import Link from "next/link";
import { useTranslations } from "next-intl";
import { useFormat } from "../i18n/format";
import { useGrants, vmTarget } from "../lib/queries";
import { allows, allowsSomewhere } from "@/server/protocol/access";
import { TagChips } from "../ui/tag-chips";
import { useVirtualizer } from "@tanstack/react-virtual";
import { useMemo, useRef, useState } from "react";
import type { MachineListRow } from "@/server/protocol/browser-events";
import { useMachines } from "../lib/resources";
import { Button, EmptyState } from "../ui/form";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { FilterSelect, SearchBox, STATE_FILTERS } from "../ui/filters";
import { ACTIONS, actionsFor } from "./actions";
import { ago, formatMemory, StateBadge } from "./state-badge";
import { EngineBadge } from "./engine";
import { useRunAction } from "./use-run-action";
import { Sparkline } from "../metrics/sparkline";

type SortKey = "name" | "state" | "host" | "vcpus" | "memory";
const collator = new Intl.Collator("en", { numeric: true, sensitivity: "base" });
const COMPARE: Record<SortKey, (a: MachineListRow, b: MachineListRow) => number> = {
  name: (a, b) => collator.compare(a.name, b.name),
  state: (a, b) => a.state.localeCompare(b.state) || collator.compare(a.name, b.name),
  host: (a, b) => collator.compare(a.hostName, b.hostName) || collator.compare(a.name, b.name),
  vcpus: (a, b) => a.vcpus - b.vcpus,
  memory: (a, b) => a.memoryKiB - b.memoryKiB,
};
const ROW = 44;
const GRID = "grid grid-cols-[2.5rem_minmax(12rem,2fr)_8rem_minmax(8rem,1fr)_5rem_7rem_11rem_minmax(14rem,1.5fr)] items-center gap-2 px-2";
const rowKey = (m: MachineListRow) => `${m.hostId}/${m.uuid}`;

export function MachinesTable() {
  const { data, isPending, error } = useMachines();
  const [q, setQ] = useState("");
  const [state, setState] = useState("all");
  const [tag, setTag] = useState("");
  const [sort, setSort] = useState<{ key: SortKey; dir: 1 | -1 }>({ key: "name", dir: 1 });
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const runner = useRunAction();
  const t = useTranslations("machines");
  const tc = useTranslations("common");
  const f = useFormat();
  // Power buttons per row: the caller's grants on that VM (its host, UUID and tags).
  const grants = useGrants();
  const canPowerSome = grants !== null && allowsSomewhere(grants, "vm.power");
  const canPower = (m: MachineListRow) => grants !== null && allows(grants, "vm.power", vmTarget(m), m.tags);
  const parent = useRef<HTMLDivElement>(null);

  const rows = useMemo(() => {
    const needle = q.trim().toLowerCase();
    const out = (data?.rows ?? []).filter(
      (r) =>
        (state === "all" || (state === "stopped" ? ["shutoff", "shutdown", "crashed"].includes(r.state) : r.state === state)) &&
        (!tag || r.tags.includes(tag)) &&
        (!needle || r.name.toLowerCase().includes(needle) || r.hostName.toLowerCase().includes(needle) || r.uuid.includes(needle)),
    );
    return out.sort((a, b) => COMPARE[sort.key](a, b) * sort.dir);
  }, [data, q, state, tag, sort]);
  const tagOptions = useMemo(() => {
    const all = [...new Set((data?.rows ?? []).flatMap((r) => r.tags))].sort();
    return [["", t("table.allTags")] as const, ...all.map((tg) => [tg, tg] as const)];
  }, [data, t]);

  const virtual = useVirtualizer({ count: rows.length, getScrollElement: () => parent.current, estimateSize: () => ROW, overscan: 10 });
  const chosen = rows.filter((r) => selected.has(rowKey(r)) && canPower(r));
  const header = (key: SortKey, label: string) => (
    <button
      type="button"
      className="text-left font-medium hover:underline"
      onClick={() => setSort((s) => ({ key, dir: s.key === key ? (-s.dir as 1 | -1) : 1 }))}
      aria-sort={sort.key === key ? (sort.dir === 1 ? "ascending" : "descending") : "none"}
    >
      {label} {sort.key === key ? (sort.dir === 1 ? "▲" : "▼") : ""}
    </button>
  );

  if (error) return <EmptyState title={t("table.loadFailed")}>{error.message}</EmptyState>;
  if (isPending) return <p className="text-sm text-slate-500">{t("table.loading")}</p>;
  if (!data.rows.length) return <EmptyState title={t("table.emptyTitle")}>{t("table.emptyText")}</EmptyState>;

  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-wrap items-center gap-2">
        <SearchBox label={t("table.searchLabel")} placeholder={t("table.searchPlaceholder")} value={q} onChange={setQ} />
        <FilterSelect label={t("table.filterState")} value={state} onChange={setState} options={STATE_FILTERS} />
        {tagOptions.length > 1 && <FilterSelect label={t("table.filterTag")} value={tag} onChange={setTag} options={tagOptions} />}
        <span className="text-sm text-slate-500" data-testid="machine-count">
          {t("table.count", { shown: rows.length, total: data.total })}
        </span>
        {canPowerSome && chosen.length > 0 && (
          <div role="toolbar" aria-label={t("table.bulkActions")} className="ml-auto flex items-center gap-2">
            <span className="text-sm">{t("table.selected", { count: chosen.length })}</span>
            {ACTIONS.map((a) => {
              const targets = chosen.filter((m) => a.when.includes(m.state) && !m.stale);
              return (
                <Button key={a.action} variant={a.confirm ? "danger" : "secondary"} disabled={!targets.length} onClick={() => runner.run(a, targets)}>
                  {runner.label(a.action)}
                  {targets.length && targets.length !== chosen.length ? ` (${targets.length})` : ""}
                </Button>
              );
            })}
          </div>
        )}
      </div>
      <div
        role="table"
        aria-label={t("title")}
        aria-rowcount={rows.length}
        className="rounded-lg border border-slate-200 bg-white text-sm dark:border-slate-800 dark:bg-slate-900"
      >
        <div role="row" className={`${GRID} h-10 border-b border-slate-200 text-slate-500 dark:border-slate-800`}>
          <input
            type="checkbox"
            aria-label={t("table.selectAll")}
            checked={chosen.length > 0 && chosen.length === rows.length}
            onChange={(e) => setSelected(e.target.checked ? new Set(rows.map(rowKey)) : new Set())}
          />
          {header("name", t("table.name"))}
          {header("state", t("table.state"))}
          {header("host", t("table.host"))}
          {header("vcpus", t("table.vcpus"))}
          {header("memory", t("table.memory"))}
          <span title={t("table.cpuTitle")}>{t("table.cpu")}</span>
          <span>{t("table.actions")}</span>
        </div>
        <div ref={parent} className="max-h-[70vh] overflow-auto">
          <div style={{ height: virtual.getTotalSize(), position: "relative" }}>
            {virtual.getVirtualItems().map((v) => {
              const m = rows[v.index]!;
              const k = rowKey(m);
              return (
                <div
                  key={k}
                  role="row"
                  data-testid="machine-row"
                  data-name={m.name}
                  className={`${GRID} absolute left-0 right-0 border-b border-slate-100 dark:border-slate-800`}
                  style={{ top: v.start, height: ROW }}
                >
                  <input
                    type="checkbox"
                    aria-label={t("table.selectOne", { name: m.name })}
                    checked={selected.has(k)}
                    onChange={(e) =>
                      setSelected((s) => {
                        const n = new Set(s);
                        if (e.target.checked) n.add(k);
                        else n.delete(k);
                        return n;
                      })
                    }
                  />
                  {/* No prefetch: every row scrolled into view would cost the server a request. */}
                  <span className="flex min-w-0 items-center gap-1">
                    <Link
                      href={`/machines/${m.hostId}/${m.uuid}`}
                      prefetch={false}
                      className="truncate font-medium text-sky-700 hover:underline dark:text-sky-400"
                    >
                      {m.name}
                    </Link>
                    <EngineBadge engine={m.engine} />
                    <TagChips tags={m.tags} />
                  </span>
                  <span>
                    <StateBadge state={m.state} stale={m.stale} />
                  </span>
                  <span className="truncate" title={m.stale ? t("table.staleTitle", { ago: ago(m.observedAt, f.locale, tc("never")) }) : undefined}>
                    {m.hostName}
                    {m.stale && (
                      <span className="ml-1 text-xs text-amber-600">{t("table.staleNote", { ago: ago(m.observedAt, f.locale, tc("never")) })}</span>
                    )}
                  </span>
                  <span>{m.vcpus}</span>
                  <span>{formatMemory(m.memoryKiB, f.locale)}</span>
                  <span>
                    {m.state === "running" && !m.stale ? (
                      <Sparkline series={`vm/${m.hostId}/${m.uuid}`} index={0} unit="percent" max={100} label={t("table.cpuOf", { name: m.name })} />
                    ) : (
                      <span className="text-xs text-slate-400">—</span>
                    )}
                  </span>
                  <span className="flex gap-1">
                    {!m.stale &&
                      canPower(m) &&
                      actionsFor(m.state)
                        .slice(0, 3)
                        .map((a) => (
                          <button
                            key={a.action}
                            type="button"
                            className="rounded border border-slate-300 px-2 py-0.5 text-xs hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
                            onClick={() => runner.run(a, [m])}
                            aria-label={t("actionOn", { action: runner.label(a.action), name: m.name })}
                          >
                            {runner.label(a.action)}
                          </button>
                        ))}
                  </span>
                </div>
              );
            })}
          </div>
        </div>
      </div>
      <ConfirmDialog
        open={!!runner.pending}
        title={
          runner.pending
            ? runner.pending.targets.length === 1
              ? t("confirmOne", { action: runner.label(runner.pending.spec.action), name: runner.pending.targets[0]!.name })
              : t("confirmMany", { action: runner.label(runner.pending.spec.action), count: runner.pending.targets.length })
            : ""
        }
        confirmLabel={runner.pending ? runner.label(runner.pending.spec.action) : tc("actions.confirm")}
        danger
        onConfirm={runner.confirm}
        onCancel={runner.cancel}
      >
        {runner.pending && runner.warning(runner.pending.spec)}
      </ConfirmDialog>
    </div>
  );
}
