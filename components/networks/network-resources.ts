"use client";
// Fetch functions and query hooks for one host's virtual networks. Rows are re-read after
// each change, when a network task finishes and when the host's agent forwards a libvirt
// network event (virsh changes too: live-events), never on a timer. Leases are read when a
// network's lease list is opened.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { TaskRow } from "@/server/protocol/browser-events";
import type { DhcpLease, NetworkActionSpec, NetworkDefineSpec, NetworkSummary } from "@/server/protocol/network";
import { api } from "../lib/api";
import { keys } from "../lib/query-keys";

/** A machine with a NIC on a network (from the server's inventory). */
export interface AttachedMachine {
  uuid: string;
  name: string;
  state: string;
}

const enc = encodeURIComponent;
const base = (hostId: string) => `/api/hosts/${enc(hostId)}/networks`;

export function useNetworks(hostId: string) {
  return useQuery({
    queryKey: keys.networks.list(hostId),
    queryFn: () => api<{ networks: NetworkSummary[]; bridges: string[]; attached: Record<string, AttachedMachine[]> }>(base(hostId)),
  });
}

export function useNetworkLeases(hostId: string, name: string, enabled: boolean) {
  return useQuery({
    queryKey: keys.networks.leases(hostId, name),
    queryFn: () => api<{ leases: DhcpLease[] }>(`${base(hostId)}/${enc(name)}/leases`),
    enabled,
  });
}

type TaskAnswer = { task: TaskRow; replay: boolean };
// One key per click: a retried request (network hiccup) replays the same task instead of doing it twice.
const once = (what: string) => ({ "Idempotency-Key": `${what}:${crypto.randomUUID()}` });

export function useNetworkMutations(hostId: string) {
  const qc = useQueryClient();
  const refresh = () => qc.invalidateQueries({ queryKey: keys.networks.list(hostId) });
  return {
    define: useMutation({
      mutationFn: (spec: NetworkDefineSpec) => api<TaskAnswer>(base(hostId), { method: "POST", body: spec, headers: once(`define:${spec.name}`) }),
      onSettled: refresh,
    }),
    action: useMutation({
      // force: the user confirmed cutting the running machines named in the dialog (else the server answers 409 naming them).
      mutationFn: ({ name, action, force }: { name: string; action: NetworkActionSpec; force?: boolean }) =>
        api<TaskAnswer>(`${base(hostId)}/${enc(name)}/actions${force ? "?force=1" : ""}`, {
          method: "POST",
          body: action,
          headers: once(`${action.action}:${name}`),
        }),
      onSettled: refresh,
    }),
    undefine: useMutation({
      mutationFn: ({ name, force }: { name: string; force: boolean }) =>
        api<TaskAnswer>(`${base(hostId)}/${enc(name)}${force ? "?force=1" : ""}`, { method: "DELETE", headers: once(`undefine:${name}`) }),
      onSettled: refresh,
    }),
  };
}
