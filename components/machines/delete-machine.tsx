"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { MachineRow } from "@/server/protocol/browser-events";
import { useMachineAction } from "../lib/resources";
import { Button } from "../ui/form";
import { ConfirmDialog } from "../ui/confirm-dialog";

/** Delete (undefine) a shut-off machine, optionally with its disk volumes. Asks first. */
export function DeleteMachine({ m }: { m: MachineRow }) {
  const [open, setOpen] = useState(false);
  const [withDisks, setWithDisks] = useState(false);
  const action = useMachineAction();
  const router = useRouter();
  const disks = m.disks.filter((d) => d.device === "disk" && d.source);
  if (m.stale || !m.persistent || !["shutoff", "crashed"].includes(m.state)) return null;
  return (
    <>
      <Button variant="danger" onClick={() => setOpen(true)}>
        Delete…
      </Button>
      <ConfirmDialog
        open={open}
        title={`Delete ${m.name}?`}
        confirmLabel={withDisks ? "Delete machine and disks" : "Delete machine"}
        danger
        onCancel={() => setOpen(false)}
        onConfirm={() => {
          setOpen(false);
          action.mutate(
            { hostId: m.hostId, uuid: m.uuid, action: "undefine", removeStorage: withDisks },
            { onSuccess: () => router.push("/machines") },
          );
        }}
      >
        <p>The machine&apos;s definition is removed from {m.hostName}. This cannot be undone.</p>
        {disks.length > 0 && (
          <label className="mt-3 flex items-start gap-2">
            <input type="checkbox" checked={withDisks} onChange={(e) => setWithDisks(e.target.checked)} />
            <span>
              Also delete its {disks.length} disk{disks.length > 1 ? "s" : ""}:{" "}
              <span className="font-mono text-xs">{disks.map((d) => d.source).join(", ")}</span>
            </span>
          </label>
        )}
      </ConfirmDialog>
    </>
  );
}
