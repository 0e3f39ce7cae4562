"use client";
// A running task's live progress (task.progress events: live only, never cached or replayed),
// read from the one event socket's window event, and a task's cancel request.
import { useEffect, useState } from "react";
import { useMutation } from "@tanstack/react-query";
import type { BrowserEvent, TaskRow } from "@/server/protocol/browser-events";
import { api } from "./api";

export interface TaskProgress {
  done: number;
  total: number | null;
}

/** The latest progress of task `taskId` (null until the first report, and for no task). */
export function useTaskProgress(taskId: string | null): TaskProgress | null {
  const [p, setP] = useState<{ taskId: string; progress: TaskProgress } | null>(null);
  useEffect(() => {
    if (!taskId) return;
    const on = (ev: Event) => {
      const e = (ev as CustomEvent<BrowserEvent>).detail;
      if (e.type === "task.progress" && e.taskId === taskId) setP({ taskId, progress: { done: e.done, total: e.total } });
    };
    window.addEventListener("hangar:event", on);
    return () => window.removeEventListener("hangar:event", on);
  }, [taskId]);
  // A report of an earlier task never shows for the next one.
  return p && p.taskId === taskId ? p.progress : null;
}

/** Asks the server to stop a running cancellable task; its end arrives as task.upsert. */
export function useCancelTask() {
  return useMutation({
    mutationFn: (taskId: string) => api<{ task: TaskRow }>(`/api/tasks/${encodeURIComponent(taskId)}/cancel`, { method: "POST" }),
  });
}
