"use client";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { MachineRow } from "@/server/protocol/browser-events";
import { Button } from "../ui/form";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { useToast } from "../ui/toasts";
import { errorText, taskCall, machinePath, useEditInfo } from "./edit/use-vm-edit";

/**
 * Delete a shut-off machine and the volumes the admin ticks (disks ticked, CD-ROM media
 * not: an ISO is usually shared). Asks first; only listed volumes of this machine go.
 */
export function DeleteMachine({ m }: { m: MachineRow }) {
  const [open, setOpen] = useState(false);
  const [chosen, setChosen] = useState<Set<string> | null>(null);
  const [busy, setBusy] = useState(false);
  const offline = m.stale || !m.persistent || !["shutoff", "crashed"].includes(m.state);
  const info = useEditInfo(m.hostId, m.uuid, open && !offline);
  const router = useRouter();
  const toast = useToast();
  const t = useTranslations("machines.delete");
  if (offline) return null;
  const volumes = info.data?.volumes ?? [];
  const picked = chosen ?? new Set(volumes.filter((v) => v.device === "disk" && v.pool).map((v) => v.path));
  const toggle = (p: string, on: boolean) => {
    const n = new Set(picked);
    if (on) n.add(p);
    else n.delete(p);
    setChosen(n);
  };
  return (
    <>
      <Button variant="danger" disabled={busy} onClick={() => (setChosen(null), setOpen(true))}>
        {busy ? t("busy") : t("button")}
      </Button>
      <ConfirmDialog
        open={open}
        title={t("title", { name: m.name })}
        confirmLabel={picked.size ? t("confirmWithVolumes", { count: picked.size }) : t("confirm")}
        danger
        onCancel={() => setOpen(false)}
        onConfirm={() => {
          setOpen(false);
          setBusy(true);
          taskCall(machinePath(m.hostId, m.uuid), "DELETE", { volumes: [...picked] }).then(
            () => router.push("/machines"),
            (e: unknown) => {
              setBusy(false);
              toast(t("failed", { error: errorText(e) ?? "" }), "error");
            },
          );
        }}
      >
        <p>{t("text", { host: m.hostName })}</p>
        {info.isPending && <p className="mt-2 text-slate-500">{t("readingVolumes")}</p>}
        {volumes.length > 0 && (
          <fieldset className="mt-3 flex flex-col gap-1">
            <legend className="mb-1 font-medium">{t("alsoVolumes")}</legend>
            {volumes.map((v) => (
              <label key={v.path} className="flex items-start gap-2">
                <input type="checkbox" checked={picked.has(v.path)} disabled={!v.pool} onChange={(e) => toggle(v.path, e.target.checked)} />
                <span>
                  <span className="font-mono text-xs break-all">{v.path}</span> ({v.target}, {v.device}
                  {v.pool ? t("inPool", { pool: v.pool }) : t("notInPool")})
                </span>
              </label>
            ))}
          </fieldset>
        )}
      </ConfirmDialog>
    </>
  );
}
