"use client";
// The host's pools: capacity bar, state, autostart, and the pool verbs for those who may
// manage storage (others see the same table without buttons).
import { useTranslations } from "next-intl";
import type { PoolSummary } from "@/server/protocol/pool";
import { useFormat } from "../i18n/format";
import { Button } from "../ui/form";

const STATE_STYLE: Record<PoolSummary["state"], string> = {
  running: "bg-green-100 text-green-900 dark:bg-green-900/40 dark:text-green-200",
  inactive: "bg-slate-200 text-slate-800 dark:bg-slate-700 dark:text-slate-200",
  building: "bg-amber-100 text-amber-900 dark:bg-amber-900/40 dark:text-amber-200",
  degraded: "bg-orange-100 text-orange-900 dark:bg-orange-900/40 dark:text-orange-200",
  inaccessible: "bg-red-100 text-red-900 dark:bg-red-900/40 dark:text-red-200",
};

export function CapacityBar({ used, total, label }: { used: number; total: number; label: string }) {
  const pct = total > 0 ? Math.min(100, (used / total) * 100) : 0;
  const tone = pct > 90 ? "bg-red-600" : pct > 75 ? "bg-amber-500" : "bg-sky-600";
  const t = useTranslations("storage");
  const f = useFormat();
  return (
    <div className="flex min-w-40 flex-col gap-1">
      <div
        role="meter"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(pct)}
        className="h-2 w-full rounded bg-slate-200 dark:bg-slate-800"
      >
        <div className={`h-2 rounded ${tone}`} style={{ width: `${pct}%` }} />
      </div>
      <span className="text-xs text-slate-500">{t("pools.used", { used: f.bytes(used), total: f.bytes(total) })}</span>
    </div>
  );
}

export interface PoolVerbs {
  action(pool: PoolSummary, action: "start" | "stop" | "refresh"): void;
  autostart(pool: PoolSummary, enabled: boolean): void;
  undefine(pool: PoolSummary): void;
}

export function PoolTable({
  pools,
  selected,
  onSelect,
  canManage,
  busy,
  verbs,
}: {
  pools: PoolSummary[];
  selected: string | null;
  onSelect: (name: string) => void;
  canManage: boolean;
  busy: boolean;
  verbs: PoolVerbs;
}) {
  const t = useTranslations("storage");
  const tState = useTranslations("storage.pools.stateValue");
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 dark:border-slate-800">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">{t("pools.caption")}</caption>
        <thead className="bg-slate-50 text-xs uppercase text-slate-500 dark:bg-slate-900">
          <tr>
            <th className="px-3 py-2">{t("pools.name")}</th>
            <th className="px-3 py-2">{t("pools.state")}</th>
            <th className="px-3 py-2">{t("pools.capacity")}</th>
            <th className="px-3 py-2">{t("pools.volumes")}</th>
            <th className="px-3 py-2">{t("pools.path")}</th>
            <th className="px-3 py-2">{t("pools.autostart")}</th>
            {canManage && <th className="px-3 py-2 text-right">{t("pools.actions")}</th>}
          </tr>
        </thead>
        <tbody>
          {pools.map((p) => {
            const running = p.state === "running";
            const isSel = p.name === selected;
            return (
              <tr
                key={p.uuid}
                data-testid="pool-row"
                data-name={p.name}
                aria-selected={isSel}
                className={`border-t border-slate-200 dark:border-slate-800 ${isSel ? "bg-sky-50 dark:bg-sky-950/40" : ""}`}
              >
                <td className="px-3 py-2">
                  <button
                    type="button"
                    className="text-left font-medium text-sky-700 hover:underline disabled:text-slate-500 disabled:no-underline dark:text-sky-400"
                    onClick={() => onSelect(p.name)}
                    disabled={!running}
                    title={running ? t("pools.showVolumes", { name: p.name }) : t("pools.startToSee")}
                  >
                    {p.name}
                  </button>
                  <div className="text-xs text-slate-500">{p.type}</div>
                </td>
                <td className="px-3 py-2">
                  <span data-testid="pool-state" className={`rounded px-2 py-0.5 text-xs font-medium ${STATE_STYLE[p.state]}`}>
                    {tState(p.state)}
                  </span>
                </td>
                <td className="px-3 py-2">
                  {running ? (
                    <CapacityBar used={p.allocation} total={p.capacity} label={t("pools.usedSpace", { name: p.name })} />
                  ) : (
                    <span className="text-slate-500">—</span>
                  )}
                </td>
                <td className="px-3 py-2">{p.volumes ?? "—"}</td>
                <td className="max-w-64 truncate px-3 py-2 font-mono text-xs" title={p.path ?? ""}>
                  {p.path ?? "—"}
                </td>
                <td className="px-3 py-2">
                  {canManage && p.persistent ? (
                    <label className="inline-flex items-center gap-2">
                      <input
                        type="checkbox"
                        role="switch"
                        checked={p.autostart}
                        disabled={busy}
                        onChange={(e) => verbs.autostart(p, e.target.checked)}
                        aria-label={t("pools.autostartLabel", { name: p.name })}
                      />
                      {p.autostart ? t("pools.on") : t("pools.off")}
                    </label>
                  ) : p.autostart ? (
                    t("pools.on")
                  ) : (
                    t("pools.off")
                  )}
                </td>
                {canManage && (
                  <td className="px-3 py-2">
                    <div className="flex justify-end gap-1">
                      {running ? (
                        <>
                          <Button variant="secondary" disabled={busy} onClick={() => verbs.action(p, "refresh")} title={t("pools.refreshTitle")}>
                            {t("pools.refresh")}
                          </Button>
                          <Button variant="secondary" disabled={busy} onClick={() => verbs.action(p, "stop")}>
                            {t("pools.stop")}
                          </Button>
                        </>
                      ) : (
                        <Button variant="secondary" disabled={busy} onClick={() => verbs.action(p, "start")}>
                          {t("pools.start")}
                        </Button>
                      )}
                      {p.persistent && (
                        <Button variant="danger" disabled={busy} onClick={() => verbs.undefine(p)}>
                          {t("pools.remove")}
                        </Button>
                      )}
                    </div>
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
