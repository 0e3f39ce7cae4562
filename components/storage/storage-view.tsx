"use client";
// A host's storage: its pools (define, start/stop, refresh, autostart, remove) and the
// volumes of the selected running pool. Change buttons show only for storage.manage.
import { useTranslations } from "next-intl";
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
  const t = useTranslations("storage");
  const tPoolAction = useTranslations("storage.task.poolAction");
  const [picked, setPicked] = useState<string | null>(null);
  const [defining, setDefining] = useState(false);
  const [removing, setRemoving] = useState<PoolSummary | null>(null);

  const rows = pools.data?.pools ?? [];
  // The picked pool while it runs, else the first running one: volumes exist only there.
  const selected = rows.find((p) => p.name === picked && p.state === "running") ?? rows.find((p) => p.state === "running") ?? null;
  const run = (p: PoolSummary, body: unknown, label: string) =>
    change.mutate(
      { path: `${poolPath(hostId, p.name)}/actions`, method: "POST", body, label },
      { onError: (e) => toast(t("view.failed", { label, message: e.message }), "error") },
    );

  const confirmRemove = () => {
    const p = removing;
    setRemoving(null);
    if (!p) return;
    change.mutate(
      { path: poolPath(hostId, p.name), method: "DELETE", label: t("task.removePool", { name: p.name }) },
      { onError: (e) => toast(t("view.removeFailed", { name: p.name, message: e.message }), "error") },
    );
  };

  return (
    <div className="flex flex-col gap-4">
      <Breadcrumb href="/hosts" list={t("view.hosts")} here={host.data?.host.name ?? hostId} />
      <HostSections hostId={hostId} />
      <div className="flex items-center justify-between">
        <h1 className="text-2xl font-semibold">{t("view.title")}</h1>
        {canManage && <Button onClick={() => setDefining(true)}>{t("view.definePool")}</Button>}
      </div>
      {pools.isPending ? (
        <p className="text-sm text-slate-500">{t("view.loading")}</p>
      ) : pools.isError ? (
        <p role="alert" className="text-sm text-red-600">
          {t("view.loadFailed", { message: pools.error.message })}
        </p>
      ) : rows.length === 0 ? (
        <EmptyState title={t("view.emptyTitle")}>{canManage ? t("view.emptyText") : null}</EmptyState>
      ) : (
        <PoolTable
          pools={rows}
          selected={selected?.name ?? null}
          onSelect={setPicked}
          canManage={canManage}
          busy={change.isPending}
          verbs={{
            action: (p, action) => run(p, { action }, tPoolAction(action, { name: p.name })),
            autostart: (p, enabled) =>
              run(p, { action: "autostart", enabled }, enabled ? t("task.autostartOn", { name: p.name }) : t("task.autostartOff", { name: p.name })),
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
            title={t("view.removeTitle", { name: removing?.name ?? "" })}
            confirmLabel={t("view.removeConfirm")}
            danger
            onConfirm={confirmRemove}
            onCancel={() => setRemoving(null)}
          >
            <p>{t("view.removeText", { path: removing?.path ?? "" })}</p>
            {removing?.state === "running" && <p className="mt-2">{t("view.removeRunning")}</p>}
            {removing && (removing.volumes ?? 0) > 0 && (
              <p className="mt-2 font-medium text-red-700 dark:text-red-400">{t("view.removeHolds", { count: removing.volumes ?? 0 })}</p>
            )}
          </ConfirmDialog>
        </>
      )}
    </div>
  );
}
