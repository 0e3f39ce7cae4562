"use client";
// CPU, memory, autostart, description and boot order of one machine. Each setting saves on
// its own (one task each) and then says where it took effect: now, or at the next boot.
import { useTranslations } from "next-intl";
import { useState } from "react";
import type { MachineRow } from "@/server/protocol/browser-events";
import { BOOT_DEVICES, type Applied, type VmChange, type VmEditInfo } from "@/server/protocol/vm-edit";
import { Button } from "../../ui/form";
import { AppliedBadge } from "./applied-badge";
import { errorText, useVmChange } from "./use-vm-edit";

const input = "w-28 rounded border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-900";

function useSave(m: MachineRow) {
  const change = useVmChange(m.hostId, m.uuid);
  const [applied, setApplied] = useState<Partial<Record<string, Applied | null>>>({});
  const save = (key: string, c: VmChange) => change.mutate(c, { onSuccess: (a) => setApplied((x) => ({ ...x, [key]: a })) });
  const err = (key: string) => (change.variables?.kind === key ? errorText(change.error) : null);
  return { save, applied, err, busy: change.isPending };
}
type BootDev = (typeof BOOT_DEVICES)[number];
const isBootDev = (d: string): d is BootDev => (BOOT_DEVICES as readonly string[]).includes(d);

export function SettingsTab({ m, info, canEdit }: { m: MachineRow; info: VmEditInfo; canEdit: boolean }) {
  const running = m.state === "running" || m.state === "paused";
  const s = useSave(m);
  const t = useTranslations("machines.settings");
  const dev = (d: BootDev) => t(`bootDevice.${d}`);
  const [vcpus, setVcpus] = useState(String(info.configVcpus));
  const [mib, setMib] = useState(String(Math.round(m.memoryKiB / 1024)));
  const [desc, setDesc] = useState(info.description);
  const [boot, setBoot] = useState<BootDev[]>(info.boot.filter(isBootDev).length ? info.boot.filter(isBootDev) : ["hd"]);
  const disabled = !canEdit || m.stale || s.busy;
  const vcpuMax = running ? info.maxVcpus : 4096;
  const memMax = running ? info.maxMemoryMiB : info.hostMemoryMiB;
  const move = (i: number, d: -1 | 1) =>
    setBoot((b) => {
      const n = [...b];
      const j = i + d;
      if (j < 0 || j >= n.length) return b;
      [n[i], n[j]] = [n[j]!, n[i]!];
      return n;
    });

  return (
    <div className="flex max-w-3xl flex-col gap-6 text-sm">
      <section aria-labelledby="cpu-h" className="flex flex-col gap-2">
        <h2 id="cpu-h" className="font-medium">
          {t("cpuMemory")}
        </h2>
        <p className="text-xs text-slate-500">
          {running ? t("runningHelp", { maxVcpus: info.maxVcpus, maxMiB: info.maxMemoryMiB }) : t("stoppedHelp", { hostMiB: info.hostMemoryMiB })}
        </p>
        <form
          className="flex flex-wrap items-center gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            s.save("vcpus", { kind: "vcpus", count: Number(vcpus) });
          }}
        >
          <label htmlFor="vm-vcpus" className="w-24">
            {t("vcpus")}
          </label>
          <input
            id="vm-vcpus"
            type="number"
            min={1}
            max={vcpuMax}
            value={vcpus}
            onChange={(e) => setVcpus(e.target.value)}
            className={input}
            disabled={disabled}
          />
          <span className="text-xs text-slate-500">{t("vcpusNow", { now: m.vcpus, boot: info.configVcpus, max: info.maxVcpus })}</span>
          {canEdit && (
            <Button type="submit" variant="secondary" disabled={disabled || !vcpus}>
              {t("saveVcpus")}
            </Button>
          )}
          <AppliedBadge applied={s.applied.vcpus} />
          {s.err("vcpus") && (
            <p role="alert" className="w-full text-red-600">
              {s.err("vcpus")}
            </p>
          )}
        </form>
        <form
          className="flex flex-wrap items-center gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            s.save("memory", { kind: "memory", mib: Number(mib) });
          }}
        >
          <label htmlFor="vm-memory" className="w-24">
            {t("memory")}
          </label>
          <input
            id="vm-memory"
            type="number"
            min={16}
            max={memMax}
            value={mib}
            onChange={(e) => setMib(e.target.value)}
            className={input}
            disabled={disabled}
          />
          <span className="text-xs text-slate-500">
            {t("memoryNow", { now: Math.round(m.memoryKiB / 1024), max: Math.round(m.maxMemoryKiB / 1024) })}
          </span>
          {canEdit && (
            <Button type="submit" variant="secondary" disabled={disabled || !mib}>
              {t("saveMemory")}
            </Button>
          )}
          <AppliedBadge applied={s.applied.memory} />
          {s.err("memory") && (
            <p role="alert" className="w-full text-red-600">
              {s.err("memory")}
            </p>
          )}
        </form>
      </section>

      <section aria-labelledby="auto-h" className="flex flex-col gap-2">
        <h2 id="auto-h" className="font-medium">
          {t("autostart")}
        </h2>
        <label className="inline-flex items-center gap-2">
          <input
            type="checkbox"
            checked={m.autostart}
            disabled={disabled || !m.persistent}
            onChange={(e) => s.save("autostart", { kind: "autostart", enabled: e.target.checked })}
          />
          {t("autostartLabel")}
        </label>
        {s.err("autostart") && (
          <p role="alert" className="text-red-600">
            {s.err("autostart")}
          </p>
        )}
      </section>

      <section aria-labelledby="desc-h" className="flex flex-col gap-2">
        <h2 id="desc-h" className="font-medium">
          {t("description")}
        </h2>
        <textarea
          aria-labelledby="desc-h"
          value={desc}
          maxLength={4096}
          rows={3}
          onChange={(e) => setDesc(e.target.value)}
          disabled={disabled}
          className="rounded border border-slate-300 bg-white p-2 dark:border-slate-700 dark:bg-slate-900"
          placeholder={t("descriptionPlaceholder")}
        />
        {canEdit && (
          <div className="flex items-center gap-2">
            <Button
              variant="secondary"
              disabled={disabled || desc === info.description}
              onClick={() => s.save("description", { kind: "description", text: desc })}
            >
              {t("saveDescription")}
            </Button>
            {s.err("description") && (
              <p role="alert" className="text-red-600">
                {s.err("description")}
              </p>
            )}
          </div>
        )}
      </section>

      <section aria-labelledby="boot-h" className="flex flex-col gap-2">
        <h2 id="boot-h" className="font-medium">
          {t("boot")}
        </h2>
        <p className="text-xs text-slate-500">{t("bootHelp")}</p>
        <ol className="flex flex-col gap-1">
          {boot.map((d, i) => (
            <li key={d} className="flex items-center gap-2">
              <span className="w-6 text-slate-500">{i + 1}.</span>
              <span className="w-20 font-mono">{dev(d)}</span>
              {canEdit && (
                <>
                  <Button variant="secondary" aria-label={t("moveUp", { device: dev(d) })} disabled={disabled || i === 0} onClick={() => move(i, -1)}>
                    ↑
                  </Button>
                  <Button
                    variant="secondary"
                    aria-label={t("moveDown", { device: dev(d) })}
                    disabled={disabled || i === boot.length - 1}
                    onClick={() => move(i, 1)}
                  >
                    ↓
                  </Button>
                  <Button
                    variant="secondary"
                    aria-label={t("removeDevice", { device: dev(d) })}
                    disabled={disabled || boot.length === 1}
                    onClick={() => setBoot((b) => b.filter((x) => x !== d))}
                  >
                    ✕
                  </Button>
                </>
              )}
            </li>
          ))}
        </ol>
        {canEdit && (
          <div className="flex flex-wrap items-center gap-2">
            {BOOT_DEVICES.filter((d) => !boot.includes(d)).map((d) => (
              <Button key={d} variant="secondary" disabled={disabled} onClick={() => setBoot((b) => [...b, d])}>
                {t("addDevice", { device: dev(d) })}
              </Button>
            ))}
            <Button variant="secondary" disabled={disabled} onClick={() => s.save("boot.order", { kind: "boot.order", devices: boot })}>
              {t("saveBoot")}
            </Button>
            <AppliedBadge applied={s.applied["boot.order"]} />
            {s.err("boot.order") && (
              <p role="alert" className="text-red-600">
                {s.err("boot.order")}
              </p>
            )}
          </div>
        )}
      </section>
    </div>
  );
}
