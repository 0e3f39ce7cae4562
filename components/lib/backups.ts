"use client";
// Fetch functions and hooks for backup jobs and their runs. A run is a task: its start and
// end arrive on the event socket, which invalidates these keys (live-events.ts).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { BackupJobRow, BackupRetention, BackupTarget, JobRunRow, TaskRow } from "@/server/protocol";
import { api } from "./api";
import { keys } from "./query-keys";

export interface JobInput {
  name: string;
  kind: "snapshot" | "backup";
  target: BackupTarget;
  cron: string;
  timeZone: string;
  retention: BackupRetention;
  destination?: string | undefined;
}

const job = (id: string) => `/api/backup-jobs/${encodeURIComponent(id)}`;
export const fetchJobs = () => api<{ rows: BackupJobRow[] }>("/api/backup-jobs");
export const fetchRuns = (id: string) => api<{ rows: JobRunRow[] }>(`${job(id)}/runs`);
export const fetchPreview = (cron: string, timeZone: string) =>
  api<{ nextRuns: string[] }>(`/api/backup-jobs/preview?cron=${encodeURIComponent(cron)}&timeZone=${encodeURIComponent(timeZone)}`);

export function useBackupJobs() {
  return useQuery({ queryKey: keys.backups.jobs(), queryFn: fetchJobs });
}

export function useJobRuns(id: string | null) {
  return useQuery({ queryKey: keys.backups.runs(id ?? ""), queryFn: () => fetchRuns(id!), enabled: !!id });
}

/** The next three runs of a cron in a time zone, as the scheduler computes them. */
export function useCronPreview(cron: string, timeZone: string) {
  return useQuery({
    queryKey: keys.backups.preview(cron, timeZone),
    queryFn: () => fetchPreview(cron, timeZone),
    enabled: cron.trim().length > 0,
    retry: false,
  });
}

function useJobMutation<V>(fn: (v: V) => Promise<unknown>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSettled: () => qc.invalidateQueries({ queryKey: keys.backups.all() }) });
}

export const useCreateJob = () => useJobMutation((body: JobInput) => api<{ job: BackupJobRow }>("/api/backup-jobs", { method: "POST", body }));
export const useDeleteJob = () => useJobMutation((id: string) => api(job(id), { method: "DELETE" }));
export const useRunJob = () => useJobMutation((id: string) => api<{ rows: JobRunRow[] }>(`${job(id)}/run`, { method: "POST" }));
export const usePauseJob = () =>
  useJobMutation(({ id, paused }: { id: string; paused: boolean }) => api(`${job(id)}/pause`, { method: "POST", body: { paused } }));
export const useRestoreRun = () =>
  useJobMutation(({ runId, name, start }: { runId: string; name: string; start: boolean }) =>
    api<{ task: TaskRow }>(`/api/backup-runs/${encodeURIComponent(runId)}/restore`, {
      method: "POST",
      body: { name, start },
      headers: { "Idempotency-Key": `restore:${runId}:${crypto.randomUUID()}` },
    }),
  );
