"use client";
// Queries and the mutation behind the create-VM wizard.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { MachineRow, TaskRow } from "@/server/protocol/browser-events";
import type { VmCreateOptions, VmSpecInput } from "@/server/protocol/vm-spec";
import { api } from "../../lib/api";
import { keys } from "../../lib/query-keys";

export function useCreateOptions(hostId: string | null) {
  return useQuery({
    queryKey: [...keys.machines.all(), "create-options", hostId ?? ""],
    queryFn: () => api<VmCreateOptions>(`/api/machines/${encodeURIComponent(hostId!)}/create-options`),
    enabled: !!hostId,
    // Pools, ISOs and free space change behind our back (other admins, uploads): ask again on each visit.
    staleTime: 0,
  });
}

export interface CreateVmResult {
  task: TaskRow;
  machine: MachineRow | null;
}

export function useCreateVm() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ hostId, spec, key }: { hostId: string; spec: VmSpecInput; key: string }) =>
      // One key per submit: a retried request (network blip) finds its task instead of making a second VM.
      api<CreateVmResult>(`/api/machines/${encodeURIComponent(hostId)}`, { method: "POST", body: spec, headers: { "Idempotency-Key": key } }),
    onSettled: () => {
      void qc.invalidateQueries({ queryKey: keys.tasks.all() });
      void qc.invalidateQueries({ queryKey: [...keys.machines.all(), "create-options"] });
    },
  });
}
