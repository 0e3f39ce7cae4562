"use client";
// A host's storage: its pools (define, start/stop, refresh, autostart, remove) and the
// volumes of the selected running pool. Change buttons show only for storage.manage.
import { useState } from "react";
import type { PoolSummary } from "@/server/protocol/pool";
import { HostSections } from "../hosts/host-sections";
import { useCan } from "../lib/queries";
import { useHost } from "../lib/resources";
import { Button, EmptyState } from "../ui/form";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { Breadcrumb } from "../ui/tabs";
import { useToast } from "../ui/toasts";
import { DefinePoolDialog } from "./define-pool-dialog";
import { PoolTable } from "./pool-table";
import { poolPath, usePools, useStorageChange } from "./storage-queries";
import { VolumePanel } from "./volume-panel";

export function StorageView({ hostId }: { hostId: string }) {
  const host = useHost(hostId);
  const pools = usePools(hostId);
  const canManage = useCan("storage.manage");
  const change = useStorageChange(hostId);
  const toast = useToast();
  const [picked, setPicked] = useState<string | null>(null);
  const [defining, setDefining] = useState(false);
  const [removing, setRemoving] = useState<PoolSummary | null>(null);

  const rows = pools.data?.pools ?? [];
  // The picked pool while it runs, else the first running one: volumes exist only there.
  const selected = rows.find((p) => p.name === picked && p.state === "running") ?? rows.find((p) => p.state === "running") ?? null;
  const run = (p: PoolSummary, body: unknown, label: string) =>
    change.mutate(
      { path: `${poolPath(hostId, p.name)}/actions`, method: "POST", body, label },
      { onError: (e) => toast(`${label}: ${e.message}`, "error") },
    );

  const confirmRemove = () => {
    const p = removing;
    setRemoving(null);
    if (!p) return;
    change.mutate(
      { path: poolPath(hostId, p.name), method: "DELETE", label: `Remove pool ${p.name}` },
      { onError: (e) => toast(`Remove ${p.name}: ${e.message}`, "error") },
    );
  };

  return (
    <div className="flex flex-col gap-4">
      <Breadcrumb href="/hosts" list="Hosts" here={host.data?.host.name ?? hostId} />
      <HostSections hostId={hostId} />
      <div className="flex items-center justify-between">
        <h1 className="text-2xl font-semibold">Storage</h1>
        {canManage && <Button onClick={() => setDefining(true)}>Define pool</Button>}
      </div>
      {pools.isPending ? (
        <p className="text-sm text-slate-500">Loading pools…</p>
      ) : pools.isError ? (
        <p role="alert" className="text-sm text-red-600">
          Could not list the pools: {pools.error.message}
        </p>
      ) : rows.length === 0 ? (
        <EmptyState title="No storage pools on this host">{canManage ? "Define a directory pool to hold disk images." : null}</EmptyState>
      ) : (
        <PoolTable
          pools={rows}
          selected={selected?.name ?? null}
          onSelect={setPicked}
          canManage={canManage}
          busy={change.isPending}
          verbs={{
            action: (p, action) => run(p, { action }, `${action[0]!.toUpperCase()}${action.slice(1)} pool ${p.name}`),
            autostart: (p, enabled) => run(p, { action: "autostart", enabled }, `Autostart ${enabled ? "on" : "off"} for ${p.name}`),
            undefine: setRemoving,
          }}
        />
      )}
      {selected && <VolumePanel key={selected.name} hostId={hostId} pool={selected} canManage={canManage} />}
      {canManage && (
        <>
          <DefinePoolDialog hostId={hostId} open={defining} onClose={() => setDefining(false)} />
          <ConfirmDialog
            open={removing !== null}
            title={`Remove pool ${removing?.name ?? ""}?`}
            confirmLabel="Remove pool"
            danger
            onConfirm={confirmRemove}
            onCancel={() => setRemoving(null)}
          >
            <p>Hangar forgets the pool; its directory {removing?.path} and any files in it stay on the host.</p>
            {removing?.state === "running" && <p className="mt-2">It is running: it will be stopped first.</p>}
            {removing && (removing.volumes ?? 0) > 0 && (
              <p className="mt-2 font-medium text-red-700 dark:text-red-400">
                It holds {removing.volumes} volume{removing.volumes === 1 ? "" : "s"}: delete them first, or the removal is refused.
              </p>
            )}
          </ConfirmDialog>
        </>
      )}
    </div>
  );
}
