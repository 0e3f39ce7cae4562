"use client";
// The Backups page: jobs with their next run and last outcome; run now, pause/resume,
// delete (confirmed); a job's runs open below it.
import { useTranslations } from "next-intl";
import { Fragment, useState } from "react";
import { useFormat, type Format } from "../i18n/format";
import type { BackupJobRow } from "@/server/protocol";
import { useBackupJobs, useDeleteJob, usePauseJob, useRunJob } from "../lib/backups";
import { useCan } from "../lib/queries";
import { Button, EmptyState } from "../ui/form";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { JobForm } from "./job-form";
import { JobRuns, RUN_STATUS, useRunStatusText } from "./job-runs";

type Translate = ReturnType<typeof useTranslations<"backups.jobs">>;

const when = (iso: string | undefined, timeZone: string, f: Format) => (iso ? f.date(iso, "datetime", timeZone) : "—");

function retentionText(j: BackupJobRow, t: Translate): string {
  const r = j.retention;
  const parts = [
    r.last && t("keepLast", { n: r.last }),
    r.daily && t("keepDaily", { n: r.daily }),
    r.weekly && t("keepWeekly", { n: r.weekly }),
  ].filter(Boolean);
  return parts.length ? parts.join(", ") : t("keepAll");
}

const isJobKind = (k: string): k is "backup" | "snapshot" => k === "backup" || k === "snapshot";

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
  const t = useTranslations("backups.jobs");
  const tKind = useTranslations("backups.jobs.kindValue");
  const f = useFormat();
  const statusText = useRunStatusText();
  if (jobs.isPending) return <p className="text-sm text-slate-500">{t("loading")}</p>;
  const rows = jobs.data?.rows ?? [];
  return (
    <div className="flex flex-col gap-4">
      {canManage && !creating && (
        <div>
          <Button onClick={() => setCreating(true)}>{t("newJob")}</Button>
        </div>
      )}
      {creating && <JobForm onDone={() => setCreating(false)} />}
      {!rows.length ? (
        <EmptyState title={t("emptyTitle")}>{t("emptyText")}</EmptyState>
      ) : (
        <table className="w-full rounded-lg border border-slate-200 bg-white text-left text-sm dark:border-slate-800 dark:bg-slate-900">
          <thead className="text-slate-500">
            <tr>
              <th className="p-2">{t("job")}</th>
              <th>{t("kind")}</th>
              <th>{t("target")}</th>
              <th>{t("schedule")}</th>
              <th>{t("retention")}</th>
              <th>{t("nextRun")}</th>
              <th>{t("lastRun")}</th>
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
                  <td>{isJobKind(j.kind) ? tKind(j.kind) : j.kind}</td>
                  <td>{j.targetName}</td>
                  <td className="font-mono">
                    {j.cron} <span className="font-sans text-slate-500">({j.timeZone})</span>
                  </td>
                  <td>{retentionText(j, t)}</td>
                  <td>{j.paused ? <span className="text-amber-600">{t("paused")}</span> : when(j.nextRuns[0], j.timeZone, f)}</td>
                  <td className={j.lastRun ? RUN_STATUS[j.lastRun.status] : ""}>{j.lastRun ? statusText(j.lastRun.status) : "—"}</td>
                  <td className="flex gap-1 py-1">
                    {canRun && (
                      <>
                        <Button variant="secondary" disabled={run.isPending} onClick={() => run.mutate(j.id)}>
                          {t("runNow")}
                        </Button>
                        <Button variant="secondary" onClick={() => pause.mutate({ id: j.id, paused: !j.paused })}>
                          {j.paused ? t("resume") : t("pause")}
                        </Button>
                      </>
                    )}
                    {canManage && (
                      <Button variant="danger" onClick={() => setDeleting(j)}>
                        {t("delete")}
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
        title={t("deleteTitle", { name: deleting?.name ?? "" })}
        confirmLabel={t("deleteConfirm")}
        danger
        onCancel={() => setDeleting(null)}
        onConfirm={() => deleting && del.mutate(deleting.id, { onSuccess: () => setDeleting(null) })}
      >
        <p className="text-sm">{t("deleteText")}</p>
      </ConfirmDialog>
    </div>
  );
}
