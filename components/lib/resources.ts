"use client";
// Fetch functions and query hooks for hosts, machines and tasks. Freshness comes from the
// event socket (live-events.ts), not from polling.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { DomainAction } from "@/server/protocol/domain";
import type { FleetSummary } from "@/server/protocol/metrics";
import type { HostRow, MachineListRow, MachineRow, TaskRow } from "@/server/protocol/browser-events";
import { api } from "./api";
import { keys } from "./query-keys";

export const fetchHosts = () => api<{ hosts: HostRow[] }>("/api/hosts");
// The table's projection: the device arrays of 1,000 rows are not needed to draw it.
export const fetchMachines = () => api<{ rows: MachineListRow[]; total: number }>("/api/machines?view=table");
export const fetchMachine = (hostId: string, uuid: string) =>
  api<{ machine: MachineRow; xml: string | null }>(`/api/machines/${encodeURIComponent(hostId)}/${encodeURIComponent(uuid)}`);
export const fetchHost = (hostId: string) => api<{ host: HostRow }>(`/api/hosts/${encodeURIComponent(hostId)}`);
export const fetchTasks = () => api<{ tasks: TaskRow[] }>("/api/tasks");
export const fetchDashboard = () => api<FleetSummary>("/api/dashboard");

export function useHosts() {
  return useQuery({ queryKey: keys.hosts.list(), queryFn: fetchHosts });
}

export function useHost(hostId: string) {
  return useQuery({ queryKey: keys.hosts.detail(hostId), queryFn: () => fetchHost(hostId) });
}

export function useMachines() {
  return useQuery({ queryKey: keys.machines.list(), queryFn: fetchMachines });
}

export function useMachine(hostId: string, uuid: string) {
  return useQuery({ queryKey: keys.machines.detail(hostId, uuid), queryFn: () => fetchMachine(hostId, uuid) });
}

export function useTasks() {
  return useQuery({ queryKey: keys.tasks.list(), queryFn: fetchTasks });
}

export interface EnrollInfo {
  host: HostRow;
  enrollToken: string;
  command: string;
}

export function useAddHost() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (name: string) => api<EnrollInfo>("/api/hosts", { method: "POST", body: { name } }),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.hosts.all() }),
  });
}

export function useRemoveHost() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api(`/api/hosts/${encodeURIComponent(id)}`, { method: "DELETE" }),
    onSettled: () => qc.invalidateQueries({ queryKey: keys.hosts.all() }),
  });
}

export function useRenewEnrollment() {
  return useMutation({
    mutationFn: (id: string) => api<{ enrollToken: string; command: string }>(`/api/hosts/${encodeURIComponent(id)}/enrollment`, { method: "POST" }),
  });
}

export interface ActionInput {
  hostId: string;
  uuid: string;
  action: DomainAction;
  removeStorage?: boolean;
  enabled?: boolean;
}

export function useMachineAction() {
  return useMutation({
    mutationFn: ({ hostId, uuid, ...body }: ActionInput) =>
      api<{ task: TaskRow }>(`/api/machines/${encodeURIComponent(hostId)}/${encodeURIComponent(uuid)}/actions`, {
        method: "POST",
        body,
        // A retried click (or network retry) returns the same task instead of acting twice.
        headers: { "Idempotency-Key": `${uuid}:${body.action}:${crypto.randomUUID()}` },
      }),
  });
}
