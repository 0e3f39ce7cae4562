"use client";
// Fetch functions and query hooks for a host's pools and volumes. Every change is a task:
// the POST answers with it, and the list is refetched when the task ends (its task.upsert
// event lands in the tasks list, which live-events keeps current).
import { useTranslations } from "next-intl";
import { useCallback, useEffect, useRef } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { PoolSummary } from "@/server/protocol/pool";
import type { VolumeSummary } from "@/server/protocol/volume";
import type { TaskRow } from "@/server/protocol/browser-events";
import { api } from "../lib/api";
import { keys } from "../lib/query-keys";
import { useTasks } from "../lib/resources";
import { useToast } from "../ui/toasts";

const enc = encodeURIComponent;
export const poolsPath = (hostId: string) => `/api/hosts/${enc(hostId)}/pools`;
export const poolPath = (hostId: string, pool: string) => `${poolsPath(hostId)}/${enc(pool)}`;
export const volumePath = (hostId: string, pool: string, volume: string) => `${poolPath(hostId, pool)}/volumes/${enc(volume)}`;

export const fetchPools = (hostId: string) => api<{ pools: PoolSummary[] }>(poolsPath(hostId));
export const fetchVolumes = (hostId: string, pool: string) =>
  api<{ pool: PoolSummary; volumes: VolumeSummary[] }>(`${poolPath(hostId, pool)}/volumes`);

export function usePools(hostId: string) {
  return useQuery({ queryKey: keys.storage.pools(hostId), queryFn: () => fetchPools(hostId) });
}

/** Only a running pool has volumes to list. */
export function useVolumes(hostId: string, pool: string | null) {
  return useQuery({
    queryKey: keys.storage.volumes(hostId, pool ?? ""),
    queryFn: () => fetchVolumes(hostId, pool!),
    enabled: pool !== null,
  });
}

const FINAL = new Set(["succeeded", "failed", "unknown"]);

/**
 * Calls once the task ends: at once when the POST answered it finished, else when its
 * task.upsert arrives. Failures become a toast with the server's reason.
 */
function useTaskEnd(hostId: string) {
  const qc = useQueryClient();
  const toast = useToast();
  const tasks = useTasks();
  const waiting = useRef(new Map<string, string>());
  const tr = useTranslations("storage");

  const ended = useCallback(
    (t: TaskRow, label: string) => {
      void qc.invalidateQueries({ queryKey: keys.storage.pools(hostId) });
      void qc.invalidateQueries({ queryKey: [...keys.storage.all(), "volumes", hostId] });
      if (t.status === "failed") toast(tr("task.failed", { label, error: t.error ?? tr("task.unknownError") }), "error");
      else if (t.status === "unknown") toast(tr("task.unknown", { label, error: t.error ?? tr("task.noAnswer") }), "error");
      else toast(tr("task.done", { label }), "success");
    },
    [qc, hostId, toast, tr],
  );

  useEffect(() => {
    for (const t of tasks.data?.tasks ?? []) {
      const label = waiting.current.get(t.id);
      if (label !== undefined && FINAL.has(t.status)) {
        waiting.current.delete(t.id);
        ended(t, label);
      }
    }
  }, [tasks.data, ended]);

  return (t: TaskRow, label: string) => {
    const known = qc.getQueryData<{ tasks: TaskRow[] }>(keys.tasks.list())?.tasks.find((x) => x.id === t.id);
    const now = known && FINAL.has(known.status) ? known : t;
    if (FINAL.has(now.status)) ended(now, label);
    else waiting.current.set(t.id, label);
  };
}

export interface StorageChange {
  path: string;
  method: "POST" | "DELETE";
  body?: unknown;
  /** What the toast calls it, in the reader's language: "Create disk.qcow2". */
  label: string;
}

/** One storage change as a task; resolves with the task as first answered (errors: ApiClientError with fields). */
export function useStorageChange(hostId: string) {
  const onTask = useTaskEnd(hostId);
  return useMutation({
    mutationFn: (c: StorageChange) =>
      api<{ task: TaskRow }>(c.path, {
        method: c.method,
        body: c.body,
        // A retried click returns the same task instead of acting twice.
        headers: { "Idempotency-Key": crypto.randomUUID() },
      }),
    onSuccess: (r, c) => onTask(r.task, c.label),
  });
}
