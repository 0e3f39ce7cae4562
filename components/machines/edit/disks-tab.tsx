"use client";
// The machine's disks and CD-ROM drives: grow, remove (asks first), insert or eject media,
// and add a disk from an existing volume or a new one. Pools and volumes are picked from the
// host's lists, never typed.
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useFormat } from "../../i18n/format";
import { formatMemory } from "../state-badge";
import type { MachineRow } from "@/server/protocol/browser-events";
import { DISK_BUSES, type Applied, type VmChange, type VmEditInfo } from "@/server/protocol/vm-edit";
import { DISK_FORMATS } from "@/server/protocol/vm-spec";
import { Button } from "../../ui/form";
import { ConfirmDialog } from "../../ui/confirm-dialog";
import { AppliedBadge } from "./applied-badge";
import { box, isIso, PoolPicker, VolumePicker } from "./pickers";
import { errorText, useVmChange } from "./use-vm-edit";

const GiB = 1024 ** 3;

export function DisksTab({ m, info, canEdit }: { m: MachineRow; info: VmEditInfo; canEdit: boolean }) {
  const change = useVmChange(m.hostId, m.uuid);
  const t = useTranslations("machines.disks");
  const { locale } = useFormat();
  const fmt = (b: number | null) => (b === null ? "—" : formatMemory(b / 1024, locale));
  const [applied, setApplied] = useState<Applied | null>(null);
  const [removing, setRemoving] = useState<string | null>(null);
  const [resize, setResize] = useState<Record<string, string>>({});
  const [media, setMedia] = useState<Record<string, { pool: string; volume: string }>>({});
  const mediumOf = (target: string) => media[target] ?? { pool: "", volume: "" };
  const setMedium = (target: string, v: Partial<{ pool: string; volume: string }>) =>
    setMedia((x) => ({ ...x, [target]: { ...(x[target] ?? { pool: "", volume: "" }), ...v } }));
  const [add, setAdd] = useState({
    pool: info.volumes.find((v) => v.pool)?.pool ?? "default",
    volume: "",
    size: "10",
    format: "qcow2",
    bus: "virtio",
    mode: "new",
  });
  const busy = change.isPending || m.stale;
  const run = (c: VmChange) => change.mutate(c, { onSuccess: (a) => setApplied(a) });
  const vol = (target: string) => info.volumes.find((v) => v.target === target);

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
      {m.disks.length === 0 ? (
        <p className="text-slate-500">{t("none")}</p>
      ) : (
        <table className="w-full max-w-5xl text-left">
          <thead className="text-xs text-slate-500">
            <tr>
              <th className="py-1">{t("target")}</th>
              <th>{t("device")}</th>
              <th>{t("bus")}</th>
              <th>{t("source")}</th>
              <th>{t("size")}</th>
              {canEdit && <th>{t("actions")}</th>}
            </tr>
          </thead>
          <tbody>
            {m.disks.map((d) => (
              <tr key={d.target} className="border-t border-slate-200 align-top dark:border-slate-800">
                <td className="py-1 font-mono">{d.target}</td>
                <td>{d.device}</td>
                <td>{d.bus ?? "—"}</td>
                <td className="font-mono text-xs break-all">{d.source ?? (d.device === "cdrom" ? t("empty") : "—")}</td>
                <td>{fmt(vol(d.target)?.capacity ?? null)}</td>
                {canEdit && (
                  <td className="flex flex-wrap gap-1 py-1">
                    {d.device === "disk" && (
                      <>
                        <input
                          aria-label={t("newSize", { target: d.target })}
                          className={`${box} w-20`}
                          type="number"
                          min={1}
                          step="any"
                          // i18n-ignore: a unit
                          placeholder="GiB"
                          value={resize[d.target] ?? ""}
                          onChange={(e) => setResize((r) => ({ ...r, [d.target]: e.target.value }))}
                        />
                        <Button
                          variant="secondary"
                          disabled={busy || !resize[d.target]}
                          onClick={() => run({ kind: "disk.resize", target: d.target, sizeBytes: Math.round(Number(resize[d.target]) * GiB) })}
                        >
                          {t("grow")}
                        </Button>
                        <Button variant="danger" disabled={busy} onClick={() => setRemoving(d.target)}>
                          {t("remove")}
                        </Button>
                      </>
                    )}
                    {d.device === "cdrom" &&
                      (d.source ? (
                        <Button variant="secondary" disabled={busy} onClick={() => run({ kind: "cdrom.eject", target: d.target })}>
                          {t("eject")}
                        </Button>
                      ) : (
                        <>
                          <PoolPicker
                            hostId={m.hostId}
                            label={t("mediumPool", { target: d.target })}
                            className="w-40"
                            value={mediumOf(d.target).pool}
                            onChange={(pool) => setMedium(d.target, { pool })}
                          />
                          <VolumePicker
                            hostId={m.hostId}
                            pool={mediumOf(d.target).pool}
                            only={isIso}
                            label={t("mediumIso", { target: d.target })}
                            className="w-56"
                            value={mediumOf(d.target).volume}
                            onChange={(volume) => setMedium(d.target, { volume })}
                          />
                          <Button
                            variant="secondary"
                            disabled={busy || !mediumOf(d.target).pool || !mediumOf(d.target).volume}
                            onClick={() => run({ kind: "cdrom.insert", target: d.target, ...mediumOf(d.target) })}
                          >
                            {t("insert")}
                          </Button>
                        </>
                      ))}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {canEdit && (
        <form
          className="flex max-w-5xl flex-wrap items-end gap-2 rounded border border-slate-200 p-3 dark:border-slate-800"
          aria-label={t("addTitle")}
          onSubmit={(e) => {
            e.preventDefault();
            const bus = add.bus as (typeof DISK_BUSES)[number];
            run(
              add.mode === "new"
                ? {
                    kind: "disk.add",
                    pool: add.pool,
                    volume: add.volume,
                    bus,
                    new: { sizeBytes: Math.round(Number(add.size) * GiB), format: add.format as (typeof DISK_FORMATS)[number] },
                  }
                : { kind: "disk.add", pool: add.pool, volume: add.volume, bus },
            );
          }}
        >
          <h2 className="w-full font-medium">{t("addTitle")}</h2>
          <label className="flex flex-col gap-1">
            {t("source")}
            <select className={box} value={add.mode} onChange={(e) => setAdd({ ...add, mode: e.target.value, volume: "" })}>
              <option value="new">{t("newVolume")}</option>
              <option value="existing">{t("existingVolume")}</option>
            </select>
          </label>
          <label className="flex flex-col gap-1">
            {t("pool")}
            <PoolPicker hostId={m.hostId} label={t("pool")} className="w-44" value={add.pool} onChange={(pool) => setAdd((a) => ({ ...a, pool }))} />
          </label>
          {add.mode === "new" ? (
            <label className="flex flex-col gap-1">
              {t("volumeName")}
              <input
                className={`${box} w-48`}
                value={add.volume}
                onChange={(e) => setAdd({ ...add, volume: e.target.value })}
                placeholder={t("volumeNamePlaceholder", { name: m.name })}
                required
              />
            </label>
          ) : (
            <label className="flex flex-col gap-1">
              {t("volume")}
              <VolumePicker
                hostId={m.hostId}
                pool={add.pool}
                only={(v) => !isIso(v)}
                label={t("volume")}
                className="w-64"
                value={add.volume}
                onChange={(volume) => setAdd((a) => ({ ...a, volume }))}
              />
            </label>
          )}
          {add.mode === "new" && (
            <>
              <label className="flex flex-col gap-1">
                {t("sizeGib")}
                <input
                  className={`${box} w-20`}
                  type="number"
                  min={0.01}
                  step="any"
                  value={add.size}
                  onChange={(e) => setAdd({ ...add, size: e.target.value })}
                  required
                />
              </label>
              <label className="flex flex-col gap-1">
                {t("format")}
                <select className={box} value={add.format} onChange={(e) => setAdd({ ...add, format: e.target.value })}>
                  {DISK_FORMATS.map((f) => (
                    <option key={f}>{f}</option>
                  ))}
                </select>
              </label>
            </>
          )}
          <label className="flex flex-col gap-1">
            {t("bus")}
            <select className={box} value={add.bus} onChange={(e) => setAdd({ ...add, bus: e.target.value })}>
              {DISK_BUSES.map((b) => (
                <option key={b}>{b}</option>
              ))}
            </select>
          </label>
          <Button type="submit" disabled={busy || !add.volume}>
            {t("add")}
          </Button>
        </form>
      )}
      <ConfirmDialog
        open={removing !== null}
        title={t("removeTitle", { target: removing ?? "", name: m.name })}
        confirmLabel={t("removeConfirm")}
        danger
        onCancel={() => setRemoving(null)}
        onConfirm={() => {
          if (removing) run({ kind: "disk.remove", target: removing });
          setRemoving(null);
        }}
      >
        {m.state === "running" ? t("removeTextRunning") : t("removeText")}
      </ConfirmDialog>
    </div>
  );
}
