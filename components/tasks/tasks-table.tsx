"use client";
import { useTasks } from "../lib/resources";
import { EmptyState } from "../ui/form";
import { ago } from "../machines/state-badge";

const STATUS: Record<string, string> = {
  queued: "text-slate-500",
  running: "text-sky-600",
  succeeded: "text-green-700 dark:text-green-400",
  failed: "text-red-600",
  unknown: "text-amber-600",
};

export function TasksTable() {
  const { data, isPending } = useTasks();
  if (isPending) return <p className="text-sm text-slate-500">Loading tasks…</p>;
  if (!data?.tasks.length)
    return <EmptyState title="No tasks yet">Actions you start on machines appear here live, with who started them and how they ended.</EmptyState>;
  return (
    <table className="w-full rounded-lg border border-slate-200 bg-white text-left text-sm dark:border-slate-800 dark:bg-slate-900">
      <thead className="text-slate-500">
        <tr>
          <th className="p-2">Action</th>
          <th>Target</th>
          <th>Status</th>
          <th>By</th>
          <th>Started</th>
          <th>Error</th>
        </tr>
      </thead>
      <tbody>
        {data.tasks.map((t) => (
          <tr key={t.id} data-testid="task-row" data-task={t.id} data-status={t.status} className="border-t border-slate-100 dark:border-slate-800">
            <td className="p-2 font-mono">{t.kind}</td>
            <td>{t.targetName}</td>
            <td className={STATUS[t.status]}>{t.status}</td>
            <td>{t.user ?? "—"}</td>
            <td title={t.createdAt}>{ago(t.createdAt)}</td>
            <td className="max-w-md truncate text-red-600" title={t.error ?? undefined}>
              {t.error}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
