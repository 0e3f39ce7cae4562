"use client";
// Active silences (end one early) and the delivery log (attempts, errors, next retry).
import { alertApi, useAlertMutation, useDeliveries, useSilences } from "../lib/alerts";
import { useCan } from "../lib/queries";
import { Button, EmptyState } from "../ui/form";
import { ago } from "../machines/state-badge";

const TABLE = "w-full rounded-lg border border-slate-200 bg-white text-left text-sm dark:border-slate-800 dark:bg-slate-900";

export function SilencesPanel() {
  const { data } = useSilences();
  const manage = useCan("alert.manage");
  const remove = useAlertMutation(alertApi.deleteSilence);
  if (!data?.silences.length)
    return <EmptyState title="No active silences">Silence an alert from its row; it ends by itself at the time you choose.</EmptyState>;
  return (
    <table className={TABLE}>
      <thead className="text-slate-500">
        <tr>
          <th className="p-2">Matches</th>
          <th>Ends</th>
          <th>By</th>
          <th>Comment</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {data.silences.map((s) => (
          <tr key={s.id} data-testid="silence-row" className="border-t border-slate-100 dark:border-slate-800">
            <td className="p-2 font-mono text-xs">{[s.ruleId && `rule ${s.ruleId}`, s.subjectKey].filter(Boolean).join(" · ")}</td>
            <td title={s.endsAt}>{new Date(s.endsAt).toLocaleString()}</td>
            <td>{s.createdBy}</td>
            <td>{s.comment}</td>
            <td className="p-1 text-right">
              {manage && (
                <Button variant="secondary" onClick={() => remove.mutate(s.id)}>
                  End now
                </Button>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function DeliveriesPanel() {
  const { data } = useDeliveries();
  if (!data?.deliveries.length) return <EmptyState title="Nothing delivered yet" />;
  return (
    <table className={TABLE}>
      <thead className="text-slate-500">
        <tr>
          <th className="p-2">When</th>
          <th>Channel</th>
          <th>Event</th>
          <th>Status</th>
          <th>Attempts</th>
          <th>Error</th>
          <th>Next attempt</th>
        </tr>
      </thead>
      <tbody>
        {data.deliveries.map((d) => (
          <tr key={d.id} data-testid="delivery-row" data-status={d.status} className="border-t border-slate-100 dark:border-slate-800">
            <td className="p-2" title={d.at}>
              {ago(d.at)}
            </td>
            <td>{d.channelName}</td>
            <td>{d.event}</td>
            <td className={d.status === "sent" ? "text-green-700 dark:text-green-400" : d.status === "failed" ? "text-red-600" : "text-amber-600"}>
              {d.status}
            </td>
            <td>{d.attempt}</td>
            <td className="max-w-xs truncate text-red-600" title={d.error ?? undefined}>
              {d.error}
            </td>
            <td>{d.nextAttemptAt ? new Date(d.nextAttemptAt).toLocaleTimeString() : "—"}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
