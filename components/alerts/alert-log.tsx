"use client";
// Active silences (end one early) and the delivery log (attempts, errors, next retry).
import { useTranslations } from "next-intl";
import { useFormat } from "../i18n/format";
import { alertApi, useAlertMutation, useDeliveries, useSilences } from "../lib/alerts";
import { useCan } from "../lib/queries";
import { Button, EmptyState } from "../ui/form";

const TABLE = "w-full rounded-lg border border-slate-200 bg-white text-left text-sm dark:border-slate-800 dark:bg-slate-900";

export function SilencesPanel() {
  const { data } = useSilences();
  const manage = useCan("alert.manage");
  const remove = useAlertMutation(alertApi.deleteSilence);
  const t = useTranslations("alerts.silences");
  const f = useFormat();
  if (!data?.silences.length) return <EmptyState title={t("emptyTitle")}>{t("emptyText")}</EmptyState>;
  return (
    <table className={TABLE}>
      <thead className="text-slate-500">
        <tr>
          <th className="p-2">{t("matches")}</th>
          <th>{t("ends")}</th>
          <th>{t("by")}</th>
          <th>{t("comment")}</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {data.silences.map((s) => (
          <tr key={s.id} data-testid="silence-row" className="border-t border-slate-100 dark:border-slate-800">
            <td className="p-2 font-mono text-xs">{[s.ruleId && t("rule", { id: s.ruleId }), s.subjectKey].filter(Boolean).join(" · ")}</td>
            <td title={s.endsAt}>{f.date(s.endsAt)}</td>
            <td>{s.createdBy}</td>
            <td>{s.comment}</td>
            <td className="p-1 text-right">
              {manage && (
                <Button variant="secondary" onClick={() => remove.mutate(s.id)}>
                  {t("endNow")}
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
  const t = useTranslations("alerts.deliveries");
  const tStatus = useTranslations("alerts.deliveries.statusValue");
  const f = useFormat();
  if (!data?.deliveries.length) return <EmptyState title={t("empty")} />;
  return (
    <table className={TABLE}>
      <thead className="text-slate-500">
        <tr>
          <th className="p-2">{t("when")}</th>
          <th>{t("channel")}</th>
          <th>{t("event")}</th>
          <th>{t("status")}</th>
          <th>{t("attempts")}</th>
          <th>{t("error")}</th>
          <th>{t("nextAttempt")}</th>
        </tr>
      </thead>
      <tbody>
        {data.deliveries.map((d) => (
          <tr key={d.id} data-testid="delivery-row" data-status={d.status} className="border-t border-slate-100 dark:border-slate-800">
            <td className="p-2" title={d.at}>
              {f.ago(d.at)}
            </td>
            <td>{d.channelName}</td>
            <td>{d.event}</td>
            <td className={d.status === "sent" ? "text-green-700 dark:text-green-400" : d.status === "failed" ? "text-red-600" : "text-amber-600"}>
              {tStatus(d.status)}
            </td>
            <td>{d.attempt}</td>
            <td className="max-w-xs truncate text-red-600" title={d.error ?? undefined}>
              {d.error}
            </td>
            <td>{d.nextAttemptAt ? f.date(d.nextAttemptAt, "time") : "—"}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
