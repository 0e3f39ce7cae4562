"use client";
// A job's runs, newest first, each with its outcome; a kept backup can be restored into a
// new machine (confirmation with the new name; optionally started).
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useFormat } from "../i18n/format";
import type { JobRunRow } from "@/server/protocol";
import { useJobRuns, useRestoreRun } from "../lib/backups";
import { useCan } from "../lib/queries";
import { Button } from "../ui/form";
import { ConfirmDialog } from "../ui/confirm-dialog";

export const RUN_STATUS: Record<string, string> = {
  running: "text-sky-600",
  succeeded: "text-green-700 dark:text-green-400",
  failed: "text-red-600",
  deleted: "text-slate-500",
};

const RUN_STATUSES = ["running", "succeeded", "failed", "deleted"] as const;
const isRunStatus = (s: string): s is (typeof RUN_STATUSES)[number] => (RUN_STATUSES as readonly string[]).includes(s);

/** A run's status in the reader's language (the raw value when it is not one the server sends today). */
export function useRunStatusText(): (status: string) => string {
  const t = useTranslations("backups.runStatus");
  return (s) => (isRunStatus(s) ? t(s) : s);
}

export function JobRuns({ jobId, kind }: { jobId: string; kind: string }) {
  const runs = useJobRuns(jobId);
  const canRestore = useCan("backup.manage") && kind === "backup";
  const restore = useRestoreRun();
  const [picked, setPicked] = useState<JobRunRow | null>(null);
  const [name, setName] = useState("");
  const [start, setStart] = useState(true);
  const t = useTranslations("backups.runs");
  const f = useFormat();
  const statusText = useRunStatusText();
  const mib = (n: number | null) => (n === null ? "—" : `${f.number(n / 1024 / 1024, 1)} MiB`);
  if (runs.isPending) return <p className="p-2 text-sm text-slate-500">{t("loading")}</p>;
  if (!runs.data?.rows.length) return <p className="p-2 text-sm text-slate-500">{t("none")}</p>;
  return (
    <>
      <table className="w-full text-left text-sm" aria-label={t("label")}>
        <thead className="text-slate-500">
          <tr>
            <th className="p-2">{t("slot")}</th>
            <th>{t("machine")}</th>
            <th>{t("status")}</th>
            <th>{t("size")}</th>
            <th>{t("started")}</th>
            <th>{t("error")}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {runs.data.rows.map((r) => (
            <tr key={r.id} data-testid="run-row" data-status={r.status} className="border-t border-slate-100 dark:border-slate-800">
              <td className="p-2 font-mono">{r.slot}</td>
              <td>{r.targetName}</td>
              <td className={RUN_STATUS[r.status]}>{statusText(r.status)}</td>
              <td>{mib(r.size)}</td>
              <td title={r.startedAt}>{f.ago(r.startedAt)}</td>
              <td className="max-w-xs truncate text-red-600" title={r.error ?? undefined}>
                {r.error}
              </td>
              <td>
                {canRestore && r.status === "succeeded" && (
                  <Button
                    variant="secondary"
                    onClick={() => {
                      setPicked(r);
                      setName(`${r.targetName}-restored`);
                    }}
                  >
                    {t("restoreButton")}
                  </Button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <ConfirmDialog
        open={picked !== null}
        title={t("restoreTitle", { name: picked?.targetName ?? "", slot: picked?.slot ?? "" })}
        confirmLabel={t("restore")}
        confirmDisabled={!name.trim() || restore.isPending}
        onCancel={() => setPicked(null)}
        onConfirm={() => picked && restore.mutate({ runId: picked.id, name: name.trim(), start }, { onSuccess: () => setPicked(null) })}
      >
        <p className="mb-2 text-sm">{t("restoreText")}</p>
        <label className="flex flex-col gap-1 text-sm font-medium">
          {t("newName")}
          <input
            className="rounded border border-slate-300 px-3 py-2 dark:border-slate-700 dark:bg-slate-900"
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
        </label>
        <label className="mt-2 flex items-center gap-2 text-sm">
          <input type="checkbox" checked={start} onChange={(e) => setStart(e.target.checked)} /> {t("startIt")}
        </label>
        {restore.error && <p className="mt-2 text-sm text-red-600">{restore.error.message}</p>}
      </ConfirmDialog>
    </>
  );
}
