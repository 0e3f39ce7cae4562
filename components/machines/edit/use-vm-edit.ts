"use client";
// Queries and mutations of the machine edit tabs. Every change is a task: 200 answers it
// finished (with where it applied), 202 that it still runs; then we follow the task until
// it ends so the form can say how it went. Rows refresh from the event socket.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { TaskRow } from "@/server/protocol/browser-events";
import type { Applied, SnapshotRow, VmChange, VmEditInfo } from "@/server/protocol/vm-edit";
import { api, ApiClientError } from "../../lib/api";
import { keys } from "../../lib/query-keys";

export const machinePath = (hostId: string, uuid: string) => `/api/machines/${encodeURIComponent(hostId)}/${encodeURIComponent(uuid)}`;
// Under the machine's detail key: whatever invalidates the machine also refreshes these.
export const editKey = (hostId: string, uuid: string) => [...keys.machines.detail(hostId, uuid), "edit"] as const;
export const snapshotsKey = (hostId: string, uuid: string) => [...keys.machines.detail(hostId, uuid), "snapshots"] as const;

interface TaskAnswer {
  task: TaskRow;
  result?: unknown;
}

/** Follows a task that answered 202 until it succeeded (resolves) or failed (throws its error). */
export async function settle(a: TaskAnswer): Promise<TaskAnswer> {
  let task = a.task;
  for (let i = 0; task.status === "queued" || task.status === "running"; i++) {
    await new Promise((r) => setTimeout(r, Math.min(250 * 2 ** i, 2000)));
    const found = (await api<{ tasks: TaskRow[] }>("/api/tasks?limit=200")).tasks.find((t) => t.id === task.id);
    if (found) task = found;
  }
  // i18n-ignore: stands in for the task's own (server, English) error text when it has none
  if (task.status !== "succeeded") throw new ApiClientError(500, "task_failed", task.error ?? `The task ended ${task.status}`);
  return { ...a, task };
}

/** Sends one task-backed request with a fresh Idempotency-Key, and waits for the task to end. */
export async function taskCall(path: string, method: string, body?: unknown): Promise<TaskAnswer> {
  const a = await api<TaskAnswer>(path, { method, body, headers: { "Idempotency-Key": `ui:${crypto.randomUUID()}` } });
  return settle(a);
}

export function useEditInfo(hostId: string, uuid: string, enabled = true) {
  return useQuery({
    queryKey: editKey(hostId, uuid),
    queryFn: () => api<VmEditInfo>(`${machinePath(hostId, uuid)}/edit`),
    enabled,
  });
}

export function useSnapshots(hostId: string, uuid: string) {
  return useQuery({
    queryKey: snapshotsKey(hostId, uuid),
    queryFn: () => api<{ snapshots: SnapshotRow[] }>(`${machinePath(hostId, uuid)}/snapshots`),
  });
}

/** One change; resolves with where it applied ("next-boot" when QEMU could not do it live). */
export function useVmChange(hostId: string, uuid: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (change: VmChange): Promise<Applied | null> => {
      const a = await taskCall(`${machinePath(hostId, uuid)}/edit`, "POST", { change });
      return (a.result as { applied?: Applied } | null)?.applied ?? null;
    },
    onSettled: () => qc.invalidateQueries({ queryKey: keys.machines.detail(hostId, uuid) }),
  });
}

/** Snapshot create / revert / delete, XML save, clone: each a task on this machine. */
export function useMachineTask(hostId: string, uuid: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ path, method, body }: { path: string; method: string; body?: unknown }) =>
      taskCall(`${machinePath(hostId, uuid)}${path}`, method, body),
    onSettled: () => qc.invalidateQueries({ queryKey: keys.machines.detail(hostId, uuid) }),
  });
}

// The message of a failed call lives with the API client now (the palette shows it too).
export { errorText } from "../../lib/api";
