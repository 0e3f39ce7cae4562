"use client";
// Alerts: fetch functions → react-query hooks. Lists are read again on every alert.upsert
// event (live-events.ts), which names only the alert.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "./api";
import { keys } from "./query-keys";
import type { AlertChannelRow, AlertRow, AlertRuleRow, DeliveryRow, SilenceRow } from "@/server/protocol/alerts";

export type AlertFilter = "active" | "resolved" | "all";

export const fetchAlerts = (state: AlertFilter) =>
  api<{ alerts: AlertRow[]; counts: { firing: number; pending: number } }>(`/api/alerts${state === "all" ? "" : `?state=${state}`}`);
export const fetchRules = () => api<{ rules: AlertRuleRow[] }>("/api/alerts/rules");
export const fetchChannels = () => api<{ channels: AlertChannelRow[] }>("/api/alerts/channels");
export const fetchSilences = () => api<{ silences: SilenceRow[] }>("/api/alerts/silences");
export const fetchDeliveries = () => api<{ deliveries: DeliveryRow[] }>("/api/alerts/deliveries?limit=100");

export function useAlerts(state: AlertFilter, enabled = true) {
  return useQuery({ queryKey: keys.alerts.list(state), queryFn: () => fetchAlerts(state), enabled });
}
export function useRules() {
  return useQuery({ queryKey: keys.alerts.rules(), queryFn: fetchRules });
}
export function useChannels(enabled = true) {
  return useQuery({ queryKey: keys.alerts.channels(), queryFn: fetchChannels, enabled });
}
export function useSilences() {
  return useQuery({ queryKey: keys.alerts.silences(), queryFn: fetchSilences });
}
export function useDeliveries() {
  return useQuery({ queryKey: keys.alerts.deliveries(), queryFn: fetchDeliveries });
}

/** One mutation on the alerts API; every alerts list is read again after it. */
export function useAlertMutation<V, R = unknown>(call: (v: V) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: call, onSettled: () => qc.invalidateQueries({ queryKey: keys.alerts.all() }) });
}

export const alertApi = {
  createRule: (body: unknown) => api<AlertRuleRow>("/api/alerts/rules", { method: "POST", body }),
  patchRule: ({ id, ...body }: { id: string } & Record<string, unknown>) => api<AlertRuleRow>(`/api/alerts/rules/${id}`, { method: "PATCH", body }),
  deleteRule: (id: string) => api(`/api/alerts/rules/${id}`, { method: "DELETE" }),
  createChannel: (body: unknown) => api<AlertChannelRow>("/api/alerts/channels", { method: "POST", body }),
  deleteChannel: (id: string) => api(`/api/alerts/channels/${id}`, { method: "DELETE" }),
  testChannel: (id: string) => api<{ ok: boolean; error: string | null }>(`/api/alerts/channels/${id}/test`, { method: "POST" }),
  createSilence: (body: { ruleId?: string; subjectKey?: string; endsAt: string; comment?: string }) =>
    api<SilenceRow>("/api/alerts/silences", { method: "POST", body }),
  deleteSilence: (id: string) => api(`/api/alerts/silences/${id}`, { method: "DELETE" }),
};
