"use client";
// An import while qemu-img converts: its percentage as the agent reports it, and Cancel
// (qemu-img is stopped on the host and nothing it wrote stays).
import { useTranslations } from "next-intl";
import { useCancelTask, useTaskProgress } from "../lib/task-progress";
import { Button } from "../ui/form";

export function ImportProgress({ taskId }: { taskId: string }) {
  const progress = useTaskProgress(taskId);
  const cancel = useCancelTask();
  const t = useTranslations("machines.import");
  const pct = progress?.total ? Math.min(100, (progress.done / progress.total) * 100) : null;
  return (
    <div role="status" aria-live="polite" className="flex flex-col gap-2 rounded-lg border border-slate-200 p-4 text-sm dark:border-slate-800">
      <p>{cancel.isSuccess ? t("cancelling") : pct === null ? t("converting") : t("convertingPct", { pct: Math.round(pct) })}</p>
      <div
        role="progressbar"
        aria-label={t("conversion")}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct === null ? undefined : Math.round(pct)}
        className="h-2 overflow-hidden rounded bg-slate-200 dark:bg-slate-800"
      >
        {pct === null ? (
          <div className="h-2 w-1/3 animate-pulse rounded bg-sky-600" />
        ) : (
          <div className="h-2 rounded bg-sky-600 transition-[width]" style={{ width: `${pct}%` }} />
        )}
      </div>
      <div>
        <Button variant="secondary" disabled={cancel.isPending || cancel.isSuccess} onClick={() => cancel.mutate(taskId)}>
          {t("cancel")}
        </Button>
      </div>
    </div>
  );
}
