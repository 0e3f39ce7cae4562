"use client";
// The Backups page: jobs with their next run and last outcome; run now, pause/resume,
// delete (confirmed); a job's runs open below it.
import { Fragment, useState } from "react";
import type { BackupJobRow } from "@/server/protocol";
import { useBackupJobs, useDeleteJob, usePauseJob, useRunJob } from "../lib/backups";
import { useCan } from "../lib/queries";
import { Button, EmptyState } from "../ui/form";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { JobForm } from "./job-form";
import { JobRuns, RUN_STATUS } from "./job-runs";

const when = (iso: string | undefined, timeZone: string) =>
  iso ? new Date(iso).toLocaleString(undefined, { timeZone, dateStyle: "medium", timeStyle: "short" }) : "—";

function retentionText(j: BackupJobRow): string {
  const r = j.retention;
  const parts = [r.last && `last ${r.last}`, r.daily && `${r.daily} daily`, r.weekly && `${r.weekly} weekly`].filter(Boolean);
  return parts.length ? parts.join(", ") : "keep all";
}

export function BackupJobs() {
  const jobs = useBackupJobs();
  const canManage = useCan("backup.manage");
  const canRun = useCan("backup.run");
  const run = useRunJob();
  const pause = usePauseJob();
  const del = useDeleteJob();
  const [creating, setCreating] = useState(false);
  const [open, setOpen] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<BackupJobRow | null>(null);
  if (jobs.isPending) return <p className="text-sm text-slate-500">Loading backup jobs…</p>;
  const rows = jobs.data?.rows ?? [];
  return (
    <div className="flex flex-col gap-4">
      {canManage && !creating && (
        <div>
          <Button onClick={() => setCreating(true)}>New job</Button>
        </div>
      )}
      {creating && <JobForm onDone={() => setCreating(false)} />}
      {!rows.length ? (
        <EmptyState title="No backup jobs">Scheduled snapshots and full backups of machines, tags or hosts appear here.</EmptyState>
      ) : (
        <table className="w-full rounded-lg border border-slate-200 bg-white text-left text-sm dark:border-slate-800 dark:bg-slate-900">
          <thead className="text-slate-500">
            <tr>
              <th className="p-2">Job</th>
              <th>Kind</th>
              <th>Target</th>
              <th>Schedule</th>
              <th>Retention</th>
              <th>Next run</th>
              <th>Last run</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rows.map((j) => (
              <Fragment key={j.id}>
                <tr data-testid="job-row" data-job={j.name} className="border-t border-slate-100 dark:border-slate-800">
                  <td className="p-2">
                    <button
                      type="button"
                      className="font-medium text-sky-700 hover:underline dark:text-sky-400"
                      onClick={() => setOpen(open === j.id ? null : j.id)}
                    >
                      {j.name}
                    </button>
                  </td>
                  <td>{j.kind}</td>
                  <td>{j.targetName}</td>
                  <td className="font-mono">
                    {j.cron} <span className="font-sans text-slate-500">({j.timeZone})</span>
                  </td>
                  <td>{retentionText(j)}</td>
                  <td>{j.paused ? <span className="text-amber-600">paused</span> : when(j.nextRuns[0], j.timeZone)}</td>
                  <td className={j.lastRun ? RUN_STATUS[j.lastRun.status] : ""}>{j.lastRun?.status ?? "—"}</td>
                  <td className="flex gap-1 py-1">
                    {canRun && (
                      <>
                        <Button variant="secondary" disabled={run.isPending} onClick={() => run.mutate(j.id)}>
                          Run now
                        </Button>
                        <Button variant="secondary" onClick={() => pause.mutate({ id: j.id, paused: !j.paused })}>
                          {j.paused ? "Resume" : "Pause"}
                        </Button>
                      </>
                    )}
                    {canManage && (
                      <Button variant="danger" onClick={() => setDeleting(j)}>
                        Delete
                      </Button>
                    )}
                  </td>
                </tr>
                {open === j.id && (
                  <tr>
                    <td colSpan={8} className="bg-slate-50 dark:bg-slate-950">
                      <JobRuns jobId={j.id} kind={j.kind} />
                    </td>
                  </tr>
                )}
              </Fragment>
            ))}
          </tbody>
        </table>
      )}
      <ConfirmDialog
        open={deleting !== null}
        title={`Delete job ${deleting?.name ?? ""}?`}
        confirmLabel="Delete job"
        danger
        onCancel={() => setDeleting(null)}
        onConfirm={() => deleting && del.mutate(deleting.id, { onSuccess: () => setDeleting(null) })}
      >
        <p className="text-sm">The schedule and its run history go; backups and snapshots already made stay on the hosts.</p>
      </ConfirmDialog>
    </div>
  );
}
