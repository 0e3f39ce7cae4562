"use client";
// One running pool's volumes: the table, its dialogs, and the delete confirmation that names
// the machines using the volume (deleting one in use needs an explicit "anyway"), and the
// upload of an ISO or disk image into the pool.
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useFormat } from "../i18n/format";
import { useQueryClient } from "@tanstack/react-query";
import { keys } from "../lib/query-keys";
import type { PoolSummary } from "@/server/protocol/pool";
import type { VolumeSummary } from "@/server/protocol/volume";
import { Button } from "../ui/form";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { useToast } from "../ui/toasts";
import { useStorageChange, useVolumes, volumePath } from "./storage-queries";
import { UploadPanel } from "./upload-panel";
import { CloneVolumeDialog, CreateVolumeDialog, ResizeVolumeDialog } from "./volume-dialogs";
import { VolumeTable } from "./volume-table";

export function VolumePanel({ hostId, pool, canManage }: { hostId: string; pool: PoolSummary; canManage: boolean }) {
  const q = useVolumes(hostId, pool.name);
  const change = useStorageChange(hostId);
  const toast = useToast();
  const [creating, setCreating] = useState(false);
  const [resizing, setResizing] = useState<VolumeSummary | null>(null);
  const [cloning, setCloning] = useState<VolumeSummary | null>(null);
  const [deleting, setDeleting] = useState<VolumeSummary | null>(null);
  const [anyway, setAnyway] = useState(false);
  const [uploading, setUploading] = useState(false);
  const qc = useQueryClient();
  const t = useTranslations("storage");
  const f = useFormat();
  // The list's own pool row is fresher than the pools table's (read with the volumes).
  const livePool = q.data?.pool ?? pool;

  const confirmDelete = () => {
    const v = deleting;
    setDeleting(null);
    if (!v) return;
    const force = v.usedBy.length > 0 && anyway;
    change.mutate(
      {
        path: `${volumePath(hostId, pool.name, v.name)}${force ? "?force=1" : ""}`,
        method: "DELETE",
        label: t("task.deleteVolume", { name: v.name }),
      },
      { onError: (e) => toast(t("volumes.deleteFailed", { name: v.name, message: e.message }), "error") },
    );
  };

  return (
    <section aria-labelledby="volumes-title" className="flex flex-col gap-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="volumes-title" className="text-lg font-semibold">
          {t("volumes.title", { pool: pool.name })}
          <span className="ml-2 text-sm font-normal text-slate-500">{t("volumes.free", { size: f.bytes(livePool.available) })}</span>
        </h2>
        {canManage && (
          <div className="flex gap-2">
            <Button variant="secondary" aria-expanded={uploading} aria-controls="volume-upload" onClick={() => setUploading((u) => !u)}>
              {uploading ? t("volumes.hideUpload") : t("volumes.uploadImage")}
            </Button>
            <Button onClick={() => setCreating(true)}>{t("volumes.newVolume")}</Button>
          </div>
        )}
      </div>
      {canManage && (
        // Hidden, not unmounted, when folded away: an upload in flight keeps its progress and
        // its Cancel, and shows again when the panel is reopened.
        <div id="volume-upload" hidden={!uploading}>
          <UploadPanel
            hostId={hostId}
            pool={pool.name}
            onDone={() => {
              // The new volume, and the pool's free space, as the host now reports them. A
              // listing still in flight may predate the upload's rename, and invalidating
              // does not restart a first load (it joins it): cancel it, then fetch anew.
              const volumes = keys.storage.volumes(hostId, pool.name);
              void qc.cancelQueries({ queryKey: volumes }).then(() => qc.invalidateQueries({ queryKey: volumes }));
              void qc.invalidateQueries({ queryKey: keys.storage.pools(hostId) });
            }}
          />
        </div>
      )}
      {q.isPending ? (
        <p className="text-sm text-slate-500">{t("volumes.loading")}</p>
      ) : q.isError ? (
        <p role="alert" className="text-sm text-red-600">
          {t("volumes.loadFailed", { message: q.error.message })}
        </p>
      ) : (
        <VolumeTable
          hostId={hostId}
          volumes={q.data.volumes}
          canManage={canManage}
          verbs={{
            resize: setResizing,
            clone: setCloning,
            remove: (v) => {
              setAnyway(false);
              setDeleting(v);
            },
          }}
        />
      )}
      {canManage && (
        <>
          <CreateVolumeDialog hostId={hostId} pool={livePool} open={creating} onClose={() => setCreating(false)} />
          <ResizeVolumeDialog hostId={hostId} pool={livePool} volume={resizing} onClose={() => setResizing(null)} />
          <CloneVolumeDialog hostId={hostId} pool={livePool} volume={cloning} onClose={() => setCloning(null)} />
          <ConfirmDialog
            open={deleting !== null}
            title={t("volumes.deleteTitle", { name: deleting?.name ?? "" })}
            confirmLabel={t("volumes.deleteConfirm")}
            danger
            confirmDisabled={!!deleting && deleting.usedBy.length > 0 && !anyway}
            onConfirm={confirmDelete}
            onCancel={() => setDeleting(null)}
          >
            <p>{t("volumes.deleteText", { path: deleting?.path ?? "" })}</p>
            {deleting && deleting.usedBy.length > 0 ? (
              <div className="mt-2" data-testid="delete-used-by">
                <p className="font-medium text-red-700 dark:text-red-400">
                  {t("volumes.usedBy", { names: deleting.usedBy.map((u) => u.name).join(", ") })}
                </p>
                <label className="mt-1 inline-flex items-center gap-2">
                  <input type="checkbox" checked={anyway} onChange={(e) => setAnyway(e.target.checked)} />
                  {t("volumes.deleteAnyway")}
                </label>
              </div>
            ) : (
              <p className="mt-2">{t("volumes.unused")}</p>
            )}
          </ConfirmDialog>
        </>
      )}
    </section>
  );
}
