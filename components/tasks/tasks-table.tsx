"use client";
import { useTranslations } from "next-intl";
import type { TaskRow } from "@/server/protocol/browser-events";
import { useFormat } from "../i18n/format";
import { useTasks } from "../lib/resources";
import { EmptyState } from "../ui/form";
import { ago } from "../machines/state-badge";

const STATUS: Record<TaskRow["status"], string> = {
  queued: "text-slate-500",
  running: "text-sky-600",
  succeeded: "text-green-700 dark:text-green-400",
  failed: "text-red-600",
  unknown: "text-amber-600",
};

export function TasksTable() {
  const { data, isPending } = useTasks();
  const t = useTranslations("tasks");
  const tc = useTranslations("common");
  const f = useFormat();
  const status = (s: TaskRow["status"]) => t(`status.${s}`);
  if (isPending) return <p className="text-sm text-slate-500">{t("loading")}</p>;
  if (!data?.tasks.length) return <EmptyState title={t("emptyTitle")}>{t("emptyText")}</EmptyState>;
  return (
    <table className="w-full rounded-lg border border-slate-200 bg-white text-left text-sm dark:border-slate-800 dark:bg-slate-900">
      <thead className="text-slate-500">
        <tr>
          <th className="p-2">{t("table.action")}</th>
          <th>{t("table.target")}</th>
          <th>{t("table.status")}</th>
          <th>{t("table.by")}</th>
          <th>{t("table.started")}</th>
          <th>{t("table.error")}</th>
        </tr>
      </thead>
      <tbody>
        {data.tasks.map((task) => (
          <tr
            key={task.id}
            data-testid="task-row"
            data-task={task.id}
            data-status={task.status}
            className="border-t border-slate-100 dark:border-slate-800"
          >
            <td className="p-2 font-mono">{task.kind}</td>
            <td>{task.targetName}</td>
            <td className={STATUS[task.status]}>{status(task.status)}</td>
            <td>{task.user ?? "—"}</td>
            <td title={task.createdAt}>{ago(task.createdAt, f.locale, tc("never"))}</td>
            <td className="max-w-md truncate text-red-600" title={task.error ?? undefined}>
              {task.error}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
