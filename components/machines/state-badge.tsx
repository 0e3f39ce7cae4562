"use client";
import { useTranslations } from "next-intl";
import type { DomainState } from "@/server/protocol/domain";
import { formatAgo, formatNumber } from "../i18n/format";

const STYLE: Record<DomainState, string> = {
  running: "bg-green-100 text-green-900 dark:bg-green-900/40 dark:text-green-200",
  paused: "bg-amber-100 text-amber-900 dark:bg-amber-900/40 dark:text-amber-200",
  shutoff: "bg-slate-200 text-slate-800 dark:bg-slate-700 dark:text-slate-200",
  shutdown: "bg-slate-200 text-slate-800 dark:bg-slate-700 dark:text-slate-200",
  crashed: "bg-red-100 text-red-900 dark:bg-red-900/40 dark:text-red-200",
  pmsuspended: "bg-indigo-100 text-indigo-900 dark:bg-indigo-900/40 dark:text-indigo-200",
  blocked: "bg-orange-100 text-orange-900",
  nostate: "bg-slate-100 text-slate-700",
};

export function StateBadge({ state, stale }: { state: DomainState; stale?: boolean }) {
  const t = useTranslations("machines.state");
  return (
    <span
      data-testid="state-badge"
      data-state={state}
      className={`inline-flex items-center rounded px-2 py-0.5 text-xs font-medium ${STYLE[state]} ${stale ? "opacity-50" : ""}`}
      title={stale ? t("stale") : undefined}
    >
      {t(state)}
      {stale && " ?"}
    </span>
  );
}

/** Guest memory as the machine pages print it: whole MiB below a GiB, one decimal above. */
export function formatMemory(kib: number, locale = "en"): string {
  if (kib >= 1024 * 1024) return `${formatNumber(kib / 1024 / 1024, locale, 1)} GiB`;
  return `${formatNumber(Math.round(kib / 1024), locale, 0)} MiB`;
}

/** "5 s ago" in the reader's language; `never` is what to print for a missing time. */
export function ago(iso: string | null, locale = "en", never = "never"): string {
  return iso ? formatAgo(iso, locale) : never;
}
