"use client";
// Network interfaces: link up/down, model, remove (asks first), add on a libvirt network
// picked from the host's list.
import { useTranslations } from "next-intl";
import { useState } from "react";
import type { MachineRow } from "@/server/protocol/browser-events";
import { NIC_MODELS, type Applied, type VmChange, type VmEditInfo } from "@/server/protocol/vm-edit";
import { Button } from "../../ui/form";
import { ConfirmDialog } from "../../ui/confirm-dialog";
import { AppliedBadge } from "./applied-badge";
import { box, NetworkPicker } from "./pickers";
import { errorText, useVmChange } from "./use-vm-edit";

type Model = (typeof NIC_MODELS)[number];

export function NetworkTab({ m, info, canEdit }: { m: MachineRow; info: VmEditInfo; canEdit: boolean }) {
  const change = useVmChange(m.hostId, m.uuid);
  const t = useTranslations("machines.nics");
  const [applied, setApplied] = useState<Applied | null>(null);
  const [removing, setRemoving] = useState<string | null>(null);
  const [net, setNet] = useState("default");
  const [model, setModel] = useState<Model>("virtio");
  const busy = change.isPending || m.stale;
  const run = (c: VmChange) => change.mutate(c, { onSuccess: (a) => setApplied(a) });

  return (
    <div className="flex flex-col gap-4 text-sm">
      <div className="flex items-center gap-2" aria-live="polite">
        {change.isPending && <span className="text-slate-500">{t("applying")}</span>}
        {!change.isPending && <AppliedBadge applied={applied} />}
        {change.error && (
          <p role="alert" className="text-red-600">
            {errorText(change.error)}
          </p>
        )}
      </div>
      {info.nics.length === 0 ? (
        <p className="text-slate-500">{t("none")}</p>
      ) : (
        <table className="w-full max-w-4xl text-left">
          <thead className="text-xs text-slate-500">
            <tr>
              <th className="py-1">{t("mac")}</th>
              <th>{t("network")}</th>
              <th>{t("model")}</th>
              <th>{t("link")}</th>
              {canEdit && <th>{t("actions")}</th>}
            </tr>
          </thead>
          <tbody>
            {info.nics.map((n) => (
              <tr key={n.mac} className="border-t border-slate-200 dark:border-slate-800">
                <td className="py-1 font-mono">{n.mac}</td>
                <td>{n.network ?? "—"}</td>
                <td>
                  {canEdit ? (
                    <select
                      aria-label={t("modelOf", { mac: n.mac })}
                      className={box}
                      value={n.model ?? ""}
                      disabled={busy}
                      onChange={(e) => run({ kind: "nic.model", mac: n.mac, model: e.target.value as Model })}
                    >
                      {!NIC_MODELS.includes(n.model as Model) && <option value={n.model ?? ""}>{n.model ?? t("defaultModel")}</option>}
                      {NIC_MODELS.map((x) => (
                        <option key={x}>{x}</option>
                      ))}
                    </select>
                  ) : (
                    (n.model ?? "—")
                  )}
                </td>
                <td>
                  <label className="inline-flex items-center gap-1">
                    <input
                      type="checkbox"
                      checked={n.up}
                      disabled={!canEdit || busy}
                      onChange={(e) => run({ kind: "nic.link", mac: n.mac, up: e.target.checked })}
                    />
                    {n.up ? t("up") : t("down")}
                  </label>
                </td>
                {canEdit && (
                  <td>
                    <Button variant="danger" disabled={busy} onClick={() => setRemoving(n.mac)}>
                      {t("remove")}
                    </Button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {canEdit && (
        <form
          aria-label={t("addTitle")}
          className="flex flex-wrap items-end gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            run({ kind: "nic.add", network: net, model });
          }}
        >
          <label className="flex flex-col gap-1">
            {t("network")}
            <NetworkPicker hostId={m.hostId} label={t("network")} className="w-48" value={net} onChange={setNet} />
          </label>
          <label className="flex flex-col gap-1">
            {t("model")}
            <select className={box} value={model} onChange={(e) => setModel(e.target.value as Model)}>
              {NIC_MODELS.map((x) => (
                <option key={x}>{x}</option>
              ))}
            </select>
          </label>
          <Button type="submit" disabled={busy || !net}>
            {t("add")}
          </Button>
        </form>
      )}
      <ConfirmDialog
        open={removing !== null}
        title={t("removeTitle", { mac: removing ?? "" })}
        confirmLabel={t("removeConfirm")}
        danger
        onCancel={() => setRemoving(null)}
        onConfirm={() => {
          if (removing) run({ kind: "nic.remove", mac: removing });
          setRemoving(null);
        }}
      >
        {m.state === "running" ? t("removeTextRunning") : t("removeText")}
      </ConfirmDialog>
    </div>
  );
}
