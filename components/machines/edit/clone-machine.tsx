"use client";
// Clone a stopped machine: asks for the new name; libvirt copies each disk into its pool.
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useRouter } from "next/navigation";
import type { MachineRow } from "@/server/protocol/browser-events";
import { Button } from "../../ui/form";
import { ConfirmDialog } from "../../ui/confirm-dialog";
import { useToast } from "../../ui/toasts";
import { errorText, useMachineTask } from "./use-vm-edit";

export function CloneMachine({ m }: { m: MachineRow }) {
  const [open, setOpen] = useState(false);
  const [name, setName] = useState(`${m.name}-clone`);
  const task = useMachineTask(m.hostId, m.uuid);
  const toast = useToast();
  const router = useRouter();
  const t = useTranslations("machines.clone");
  if (m.stale || !m.persistent || !["shutoff", "crashed"].includes(m.state)) return null;
  return (
    <>
      <Button variant="secondary" disabled={task.isPending} onClick={() => setOpen(true)}>
        {task.isPending ? t("busy") : t("button")}
      </Button>
      <ConfirmDialog
        open={open}
        title={t("title", { name: m.name })}
        confirmLabel={t("confirm")}
        onCancel={() => setOpen(false)}
        onConfirm={() => {
          setOpen(false);
          task.mutate(
            { path: "/clone", method: "POST", body: { name } },
            {
              onSuccess: (a) => {
                const r = a.result as { domain?: { uuid: string } } | null;
                toast(t("created", { name }), "success");
                if (r?.domain) router.push(`/machines/${encodeURIComponent(m.hostId)}/${r.domain.uuid}`);
              },
              onError: (e) => toast(t("failed", { error: errorText(e) ?? "" }), "error"),
            },
          );
        }}
      >
        <label className="flex flex-col gap-1">
          {t("newName")}
          <input
            className="rounded border border-slate-300 bg-white px-2 py-1 dark:border-slate-700 dark:bg-slate-900"
            value={name}
            onChange={(e) => setName(e.target.value)}
            pattern="[A-Za-z0-9][A-Za-z0-9._-]{0,63}"
            required
          />
        </label>
        <p className="mt-2">{t("text")}</p>
      </ConfirmDialog>
    </>
  );
}
