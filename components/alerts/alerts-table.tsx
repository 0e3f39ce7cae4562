"use client";
// Alerts, firing first, with a silence button (rule + subject, until a chosen end time).
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useFormat } from "../i18n/format";
import type { AlertRow } from "@/server/protocol/alerts";
import { alertApi, useAlertMutation, useAlerts, type AlertFilter } from "../lib/alerts";
import { useCan } from "../lib/queries";
import { Button, EmptyState } from "../ui/form";
import { Tabs } from "../ui/tabs";
import { useToast } from "../ui/toasts";

const STATE: Record<string, string> = { firing: "text-red-600", pending: "text-amber-600", resolved: "text-green-700 dark:text-green-400" };

/** A datetime-local value one hour from now, in the browser's time zone. */
function inAnHour(): string {
  const d = new Date(Date.now() + 3_600_000 - new Date().getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}

function SilenceForm({ alert, onDone }: { alert: AlertRow; onDone: () => void }) {
  const toast = useToast();
  const [until, setUntil] = useState(inAnHour);
  const [comment, setComment] = useState("");
  const create = useAlertMutation(alertApi.createSilence);
  const t = useTranslations("alerts.alerts");
  const tc = useTranslations("common");
  const submit = () =>
    create.mutate(
      { ruleId: alert.ruleId, subjectKey: alert.subjectKey, endsAt: new Date(until).toISOString(), comment },
      { onSuccess: () => (toast(t("silencedToast"), "success"), onDone()), onError: (e) => toast(e.message, "error") },
    );
  return (
    <div className="flex flex-wrap items-end gap-2 p-2" data-testid="silence-form">
      <label className="flex flex-col text-xs">
        {t("until")}
        <input
          type="datetime-local"
          value={until}
          onChange={(e) => setUntil(e.target.value)}
          className="rounded border border-slate-300 px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-900"
        />
      </label>
      <label className="flex flex-col text-xs">
        {t("comment")}
        <input
          value={comment}
          onChange={(e) => setComment(e.target.value)}
          maxLength={500}
          className="rounded border border-slate-300 px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-900"
        />
      </label>
      <Button onClick={submit} disabled={create.isPending}>
        {t("silence")}
      </Button>
      <Button variant="secondary" onClick={onDone}>
        {tc("actions.cancel")}
      </Button>
    </div>
  );
}

export function AlertsTable() {
  const [filter, setFilter] = useState<AlertFilter>("active");
  const { data, isPending } = useAlerts(filter);
  const manage = useCan("alert.manage");
  const [silencing, setSilencing] = useState<string | null>(null);
  const t = useTranslations("alerts.alerts");
  const tState = useTranslations("alerts.state");
  const f = useFormat();
  return (
    <div className="flex flex-col gap-3">
      <Tabs
        label={t("which")}
        tabs={["active", "resolved", "all"] as const}
        labels={{ active: t("filter.active"), resolved: t("filter.resolved"), all: t("filter.all") }}
        value={filter}
        onChange={setFilter}
      />
      {isPending ? (
        <p className="text-sm text-slate-500">{t("loading")}</p>
      ) : !data?.alerts.length ? (
        <EmptyState title={filter === "active" ? t("nothingFiring") : t("none")}>{t("emptyText")}</EmptyState>
      ) : (
        <table className="w-full rounded-lg border border-slate-200 bg-white text-left text-sm dark:border-slate-800 dark:bg-slate-900">
          <thead className="text-slate-500">
            <tr>
              <th className="p-2">{t("state")}</th>
              <th>{t("rule")}</th>
              <th>{t("subject")}</th>
              <th>{t("message")}</th>
              <th>{t("since")}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {data.alerts.map((a) => (
              <tr
                key={a.id}
                data-testid="alert-row"
                data-state={a.state}
                data-subject={a.subjectName}
                className="border-t border-slate-100 align-top dark:border-slate-800"
              >
                <td className={`p-2 font-medium ${STATE[a.state]}`}>
                  {tState(a.state)}
                  {a.silenced && <span className="ml-1 text-xs text-slate-500">{t("silenced")}</span>}
                </td>
                <td>{a.ruleName}</td>
                <td>{a.subjectName}</td>
                <td className="max-w-md">{a.message}</td>
                <td title={a.firingAt ?? a.since}>{f.ago(a.resolvedAt ?? a.firingAt ?? a.since)}</td>
                <td className="p-1 text-right">
                  {manage && a.state !== "resolved" && !a.silenced && silencing !== a.id && (
                    <Button variant="secondary" onClick={() => setSilencing(a.id)}>
                      {t("silenceButton")}
                    </Button>
                  )}
                  {silencing === a.id && <SilenceForm alert={a} onDone={() => setSilencing(null)} />}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
