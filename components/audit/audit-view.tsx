"use client";
// The audit page: who did what, when, from where, to which resource, with what result.
// Filters are applied by the server (GET /api/audit), pages follow its cursor, and the CSV
// download sends the same filters to /api/audit/export.
import { useInfiniteQuery } from "@tanstack/react-query";
import { Fragment, useState, type FormEvent } from "react";
import { useTranslations } from "next-intl";
import { useFormat } from "../i18n/format";
import { api, ApiClientError } from "../lib/api";
import { keys } from "../lib/query-keys";
import { Button, EmptyState } from "../ui/form";
import { RetentionSetting } from "./retention-setting";

export interface AuditRow {
  id: string;
  at: string;
  actor: string;
  action: string;
  target: string;
  outcome: string;
  ip: string;
  details: Record<string, unknown>;
}

type Filters = Partial<Record<"user" | "resource" | "action" | "outcome" | "from" | "to", string>>;

const input = "rounded border border-slate-300 bg-white px-2 py-1.5 text-sm font-normal dark:border-slate-700 dark:bg-slate-900";
const OUTCOMES = ["success", "failure", "denied"] as const;
type Outcome = (typeof OUTCOMES)[number];
const isOutcome = (o: string): o is Outcome => (OUTCOMES as readonly string[]).includes(o);
const OUTCOME_STYLE: Record<string, string> = {
  success: "text-green-700 dark:text-green-400",
  failure: "text-red-700 dark:text-red-400",
  denied: "text-amber-700 dark:text-amber-400",
};

function queryString(f: Filters, extra: Record<string, string> = {}): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...f, ...extra })) if (v) p.set(k, v);
  const s = p.toString();
  return s ? `?${s}` : "";
}

/** datetime-local has no zone: read it as the browser's local time, send UTC. */
function toIso(local: FormDataEntryValue | null): string | undefined {
  const v = String(local ?? "");
  if (!v) return undefined;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

export function AuditView() {
  const t = useTranslations("audit");
  const tc = useTranslations("common");
  const fmt = useFormat();
  const [filters, setFilters] = useState<Filters>({});
  const [open, setOpen] = useState<Set<string>>(new Set());
  const q = useInfiniteQuery({
    queryKey: [...keys.audit(), filters],
    queryFn: ({ pageParam }) =>
      api<{ events: AuditRow[]; nextCursor: string | null }>(
        `/api/audit${queryString(filters, { limit: "100", ...(pageParam ? { cursor: pageParam } : {}) })}`,
      ),
    initialPageParam: "",
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const rows = q.data?.pages.flatMap((p) => p.events) ?? [];

  const apply = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const text = (k: string) => String(f.get(k) ?? "").trim() || undefined;
    setFilters({
      user: text("user"),
      resource: text("resource"),
      action: text("action"),
      outcome: text("outcome"),
      from: toIso(f.get("from")),
      to: toIso(f.get("to")),
    });
    setOpen(new Set());
  };
  const toggle = (id: string) =>
    setOpen((s) => {
      const n = new Set(s);
      if (!n.delete(id)) n.add(id);
      return n;
    });

  if (q.error instanceof ApiClientError && q.error.status === 403) {
    return <EmptyState title={t("noAccessTitle")}>{t("noAccess")}</EmptyState>;
  }
  return (
    <div className="flex flex-col gap-4">
      <form onSubmit={apply} onReset={() => setFilters({})} aria-label={t("filters.label")} className="flex flex-wrap items-end gap-2">
        <label className="flex flex-col gap-1 text-xs font-medium">
          {t("filters.user")}
          <input name="user" className={input} placeholder={t("filters.userPlaceholder")} autoComplete="off" />
        </label>
        <label className="flex flex-col gap-1 text-xs font-medium">
          {t("filters.resource")}
          <input name="resource" className={input} placeholder={t("filters.resourcePlaceholder")} autoComplete="off" />
        </label>
        <label className="flex flex-col gap-1 text-xs font-medium">
          {t("filters.action")}
          <input name="action" className={input} placeholder={t("filters.actionPlaceholder")} autoComplete="off" />
        </label>
        <label className="flex flex-col gap-1 text-xs font-medium">
          {t("filters.result")}
          <select name="outcome" className={input} defaultValue="">
            <option value="">{t("filters.any")}</option>
            {OUTCOMES.map((o) => {
              const label = t(`outcome.${o}`);
              return (
                <option key={o} value={o}>
                  {label}
                </option>
              );
            })}
          </select>
        </label>
        <label className="flex flex-col gap-1 text-xs font-medium">
          {t("filters.from")}
          <input name="from" type="datetime-local" className={input} />
        </label>
        <label className="flex flex-col gap-1 text-xs font-medium">
          {t("filters.to")}
          <input name="to" type="datetime-local" className={input} />
        </label>
        <Button type="submit">{tc("actions.apply")}</Button>
        <Button type="reset" variant="secondary">
          {t("filters.clear")}
        </Button>
        <a
          href={`/api/audit/export${queryString(filters)}`}
          download
          className="ml-auto rounded border border-slate-300 px-3 py-2 text-sm font-medium hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
        >
          {t("downloadCsv")}
        </a>
      </form>
      {q.error && !(q.error instanceof ApiClientError && q.error.status === 403) && (
        <p role="alert" className="text-sm text-red-600">
          {q.error.message}
        </p>
      )}
      {q.isPending ? (
        <p className="text-sm text-slate-500">{tc("loading")}</p>
      ) : rows.length === 0 ? (
        <EmptyState title={t("emptyTitle")}>{t("empty")}</EmptyState>
      ) : (
        <table className="w-full text-left text-sm" aria-label={t("table")}>
          <thead className="text-slate-500">
            <tr>
              <th className="py-2">{t("columns.when")}</th>
              <th>{t("columns.who")}</th>
              <th>{t("columns.action")}</th>
              <th>{t("columns.resource")}</th>
              <th>{t("columns.result")}</th>
              <th>{t("columns.from")}</th>
              <th className="sr-only">{t("columns.details")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => {
              const outcome = isOutcome(r.outcome) ? t(`outcome.${r.outcome}`) : r.outcome;
              return (
                <Fragment key={r.id}>
                  <tr className="border-t border-slate-100 align-baseline dark:border-slate-800" data-testid="audit-row" data-actor={r.actor}>
                    <td className="whitespace-nowrap py-1.5">
                      <time dateTime={r.at}>{t("at", { date: fmt.date(r.at, "date"), time: fmt.date(r.at, "time") })}</time>
                    </td>
                    <td>{r.actor}</td>
                    <td className="font-mono text-xs">{r.action}</td>
                    <td className="break-all">{r.target}</td>
                    <td className={OUTCOME_STYLE[r.outcome] ?? ""}>{outcome}</td>
                    <td className="font-mono text-xs">{r.ip}</td>
                    <td className="text-right">
                      {Object.keys(r.details).length > 0 && (
                        <button
                          type="button"
                          aria-expanded={open.has(r.id)}
                          onClick={() => toggle(r.id)}
                          className="text-xs text-sky-700 underline dark:text-sky-400"
                        >
                          {open.has(r.id) ? t("hideDetails") : t("details")}
                        </button>
                      )}
                    </td>
                  </tr>
                  {open.has(r.id) && (
                    <tr>
                      <td colSpan={7} className="pb-2">
                        <pre className="overflow-x-auto rounded bg-slate-100 p-2 text-xs dark:bg-slate-800">{JSON.stringify(r.details, null, 2)}</pre>
                      </td>
                    </tr>
                  )}
                </Fragment>
              );
            })}
          </tbody>
        </table>
      )}
      {q.hasNextPage && (
        <Button variant="secondary" onClick={() => void q.fetchNextPage()} disabled={q.isFetchingNextPage}>
          {q.isFetchingNextPage ? tc("loading") : t("loadOlder")}
        </Button>
      )}
      <RetentionSetting />
    </div>
  );
}
