"use client";
// Clone a stopped machine: asks for the new name; libvirt copies each disk into its pool.
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
  if (m.stale || !m.persistent || !["shutoff", "crashed"].includes(m.state)) return null;
  return (
    <>
      <Button variant="secondary" disabled={task.isPending} onClick={() => setOpen(true)}>
        {task.isPending ? "Cloning…" : "Clone…"}
      </Button>
      <ConfirmDialog
        open={open}
        title={`Clone ${m.name}`}
        confirmLabel="Clone"
        onCancel={() => setOpen(false)}
        onConfirm={() => {
          setOpen(false);
          task.mutate(
            { path: "/clone", method: "POST", body: { name } },
            {
              onSuccess: (a) => {
                const r = a.result as { domain?: { uuid: string } } | null;
                toast(`${name} created`, "success");
                if (r?.domain) router.push(`/machines/${encodeURIComponent(m.hostId)}/${r.domain.uuid}`);
              },
              onError: (e) => toast(`Clone failed: ${errorText(e)}`, "error"),
            },
          );
        }}
      >
        <label className="flex flex-col gap-1">
          New machine name
          <input
            className="rounded border border-slate-300 bg-white px-2 py-1 dark:border-slate-700 dark:bg-slate-900"
            value={name}
            onChange={(e) => setName(e.target.value)}
            pattern="[A-Za-z0-9][A-Za-z0-9._-]{0,63}"
            required
          />
        </label>
        <p className="mt-2">
          Each disk is copied into its own pool under a name derived from the new one; CD-ROM media are shared. New UUID and MAC addresses.
        </p>
      </ConfirmDialog>
    </>
  );
}
