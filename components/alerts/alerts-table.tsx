"use client";
// Alerts, firing first, with a silence button (rule + subject, until a chosen end time).
import { useState } from "react";
import type { AlertRow } from "@/server/protocol/alerts";
import { alertApi, useAlertMutation, useAlerts, type AlertFilter } from "../lib/alerts";
import { useCan } from "../lib/queries";
import { Button, EmptyState } from "../ui/form";
import { Tabs } from "../ui/tabs";
import { useToast } from "../ui/toasts";
import { ago } from "../machines/state-badge";

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
  const submit = () =>
    create.mutate(
      { ruleId: alert.ruleId, subjectKey: alert.subjectKey, endsAt: new Date(until).toISOString(), comment },
      { onSuccess: () => (toast("Silenced", "success"), onDone()), onError: (e) => toast(e.message, "error") },
    );
  return (
    <div className="flex flex-wrap items-end gap-2 p-2" data-testid="silence-form">
      <label className="flex flex-col text-xs">
        Until
        <input
          type="datetime-local"
          value={until}
          onChange={(e) => setUntil(e.target.value)}
          className="rounded border border-slate-300 px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-900"
        />
      </label>
      <label className="flex flex-col text-xs">
        Comment
        <input
          value={comment}
          onChange={(e) => setComment(e.target.value)}
          maxLength={500}
          className="rounded border border-slate-300 px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-900"
        />
      </label>
      <Button onClick={submit} disabled={create.isPending}>
        Silence
      </Button>
      <Button variant="secondary" onClick={onDone}>
        Cancel
      </Button>
    </div>
  );
}

export function AlertsTable() {
  const [filter, setFilter] = useState<AlertFilter>("active");
  const { data, isPending } = useAlerts(filter);
  const manage = useCan("alert.manage");
  const [silencing, setSilencing] = useState<string | null>(null);
  return (
    <div className="flex flex-col gap-3">
      <Tabs label="Which alerts" tabs={["active", "resolved", "all"] as const} value={filter} onChange={setFilter} />
      {isPending ? (
        <p className="text-sm text-slate-500">Loading alerts…</p>
      ) : !data?.alerts.length ? (
        <EmptyState title={filter === "active" ? "Nothing is firing" : "No alerts"}>Alerts of the rules you may see appear here live.</EmptyState>
      ) : (
        <table className="w-full rounded-lg border border-slate-200 bg-white text-left text-sm dark:border-slate-800 dark:bg-slate-900">
          <thead className="text-slate-500">
            <tr>
              <th className="p-2">State</th>
              <th>Rule</th>
              <th>Subject</th>
              <th>Message</th>
              <th>Since</th>
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
                  {a.state}
                  {a.silenced && <span className="ml-1 text-xs text-slate-500">(silenced)</span>}
                </td>
                <td>{a.ruleName}</td>
                <td>{a.subjectName}</td>
                <td className="max-w-md">{a.message}</td>
                <td title={a.firingAt ?? a.since}>{ago(a.resolvedAt ?? a.firingAt ?? a.since)}</td>
                <td className="p-1 text-right">
                  {manage && a.state !== "resolved" && !a.silenced && silencing !== a.id && (
                    <Button variant="secondary" onClick={() => setSilencing(a.id)}>
                      Silence…
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
