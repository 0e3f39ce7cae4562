"use client";
// An import while qemu-img converts: its percentage as the agent reports it, and Cancel
// (qemu-img is stopped on the host and nothing it wrote stays).
import { useCancelTask, useTaskProgress } from "../lib/task-progress";
import { Button } from "../ui/form";

export function ImportProgress({ taskId }: { taskId: string }) {
  const progress = useTaskProgress(taskId);
  const cancel = useCancelTask();
  const pct = progress?.total ? Math.min(100, (progress.done / progress.total) * 100) : null;
  return (
    <div role="status" aria-live="polite" className="flex flex-col gap-2 rounded-lg border border-slate-200 p-4 text-sm dark:border-slate-800">
      <p>
        {cancel.isSuccess
          ? "Cancelling: stopping qemu-img and removing what it wrote…"
          : `Converting on the host with qemu-img${pct === null ? "…" : `: ${pct.toFixed(0)}%.`} This takes about as long as copying the disk once. You may leave this page; the task list shows when it ends.`}
      </p>
      <div
        role="progressbar"
        aria-label="Conversion"
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
          Cancel import
        </Button>
      </div>
    </div>
  );
}
