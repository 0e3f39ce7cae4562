"use client";
// A job's runs, newest first, each with its outcome; a kept backup can be restored into a
// new machine (confirmation with the new name; optionally started).
import { useState } from "react";
import type { JobRunRow } from "@/server/protocol";
import { useJobRuns, useRestoreRun } from "../lib/backups";
import { useCan } from "../lib/queries";
import { ago } from "../machines/state-badge";
import { Button } from "../ui/form";
import { ConfirmDialog } from "../ui/confirm-dialog";

export const RUN_STATUS: Record<string, string> = {
  running: "text-sky-600",
  succeeded: "text-green-700 dark:text-green-400",
  failed: "text-red-600",
  deleted: "text-slate-500",
};

const mib = (n: number | null) => (n === null ? "—" : `${(n / 1024 / 1024).toFixed(1)} MiB`);

export function JobRuns({ jobId, kind }: { jobId: string; kind: string }) {
  const runs = useJobRuns(jobId);
  const canRestore = useCan("backup.manage") && kind === "backup";
  const restore = useRestoreRun();
  const [picked, setPicked] = useState<JobRunRow | null>(null);
  const [name, setName] = useState("");
  const [start, setStart] = useState(true);
  if (runs.isPending) return <p className="p-2 text-sm text-slate-500">Loading runs…</p>;
  if (!runs.data?.rows.length) return <p className="p-2 text-sm text-slate-500">No run yet.</p>;
  return (
    <>
      <table className="w-full text-left text-sm" aria-label="Runs">
        <thead className="text-slate-500">
          <tr>
            <th className="p-2">Slot</th>
            <th>Machine</th>
            <th>Status</th>
            <th>Size</th>
            <th>Started</th>
            <th>Error</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {runs.data.rows.map((r) => (
            <tr key={r.id} data-testid="run-row" data-status={r.status} className="border-t border-slate-100 dark:border-slate-800">
              <td className="p-2 font-mono">{r.slot}</td>
              <td>{r.targetName}</td>
              <td className={RUN_STATUS[r.status]}>{r.status}</td>
              <td>{mib(r.size)}</td>
              <td title={r.startedAt}>{ago(r.startedAt)}</td>
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
                    Restore…
                  </Button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <ConfirmDialog
        open={picked !== null}
        title={`Restore ${picked?.targetName ?? ""} from ${picked?.slot ?? ""}`}
        confirmLabel="Restore"
        confirmDisabled={!name.trim() || restore.isPending}
        onCancel={() => setPicked(null)}
        onConfirm={() => picked && restore.mutate({ runId: picked.id, name: name.trim(), start }, { onSuccess: () => setPicked(null) })}
      >
        <p className="mb-2 text-sm">
          The backup&apos;s disks are copied beside it and a NEW machine is defined from its saved XML (new uuid and MACs).
        </p>
        <label className="flex flex-col gap-1 text-sm font-medium">
          New machine name
          <input
            className="rounded border border-slate-300 px-3 py-2 dark:border-slate-700 dark:bg-slate-900"
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
        </label>
        <label className="mt-2 flex items-center gap-2 text-sm">
          <input type="checkbox" checked={start} onChange={(e) => setStart(e.target.checked)} /> Start it
        </label>
        {restore.error && <p className="mt-2 text-sm text-red-600">{restore.error.message}</p>}
      </ConfirmDialog>
    </>
  );
}
