"use client";
// Pickers for the edit form: the host's pools, a pool's volumes and the host's networks as
// native <select>s (keyboard and screen-reader friendly as they come), fed by the same
// queries as the Storage and Networks pages, so what those list can be attached here and
// their live updates reach these lists too.
import { useTranslations } from "next-intl";
import { useEffect } from "react";
import { useFormat } from "../../i18n/format";
import { formatMemory } from "../state-badge";
import type { VolumeSummary } from "@/server/protocol/volume";
import { usePools, useVolumes } from "../../storage/storage-queries";
import { useNetworks } from "../../networks/network-resources";

export const box = "rounded border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-900";
/** A volume or pool size as the machine pages print sizes. */
function useSize() {
  const { locale } = useFormat();
  return (b: number) => formatMemory(b / 1024, locale);
}

interface PickerProps {
  hostId: string;
  value: string;
  onChange: (v: string) => void;
  /** The accessible name (a visible label wraps the picker where there is room). */
  label: string;
  className?: string;
}

/** A placeholder option while loading, failed, or with nothing to offer (disabled: never a value). */
function Status({ pending, error, empty }: { pending: boolean; error: Error | null; empty: string | null }) {
  const t = useTranslations("machines.pickers");
  const tc = useTranslations("common");
  const text = pending ? tc("loading") : error ? t("listFailed", { error: error.message }) : empty;
  return text ? (
    <option value="" disabled>
      {text}
    </option>
  ) : null;
}

/** Takes the first offered value when the current one is not among them (a pool gone, a first load). */
function useFirstWhenMissing(value: string, offered: readonly string[] | undefined, onChange: (v: string) => void) {
  useEffect(() => {
    if (offered && offered.length && !offered.includes(value)) onChange(offered[0]!);
    else if (offered && !offered.length && value) onChange("");
  }, [value, offered, onChange]);
}

/** The host's running pools (only they have volumes to attach or room for new ones). */
export function PoolPicker({ hostId, value, onChange, label, className }: PickerProps) {
  const pools = usePools(hostId);
  const t = useTranslations("machines.pickers");
  const size = useSize();
  const active = pools.data?.pools.filter((p) => p.state === "running");
  useFirstWhenMissing(
    value,
    active?.map((p) => p.name),
    onChange,
  );
  return (
    <select aria-label={label} className={`${box} ${className ?? ""}`} value={value} onChange={(e) => onChange(e.target.value)} required>
      <Status pending={pools.isPending} error={pools.error} empty={active && !active.length ? t("noPool") : null} />
      {active?.map((p) => (
        <option key={p.name} value={p.name}>
          {t("poolOption", { name: p.name, free: size(p.available) })}
        </option>
      ))}
    </select>
  );
}

/** The volumes of one pool, optionally only some (ISO images for a CD-ROM). */
export function VolumePicker({
  hostId,
  pool,
  value,
  onChange,
  label,
  className,
  only,
}: PickerProps & { pool: string; only?: (v: VolumeSummary) => boolean }) {
  const vols = useVolumes(hostId, pool || null);
  const t = useTranslations("machines.pickers");
  const size = useSize();
  const offered = vols.data?.volumes.filter((v) => !only || only(v));
  useFirstWhenMissing(
    value,
    offered?.map((v) => v.name),
    onChange,
  );
  return (
    <select
      aria-label={label}
      className={`${box} ${className ?? ""}`}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      disabled={!pool}
      required
    >
      <Status
        pending={!!pool && vols.isPending}
        error={vols.error}
        empty={!pool ? t("choosePool") : offered && !offered.length ? t("noVolume") : null}
      />
      {offered?.map((v) => (
        <option key={v.name} value={v.name}>
          {v.usedBy.length
            ? t("volumeOptionUsed", { name: v.name, format: v.format, size: size(v.capacity), users: v.usedBy.map((u) => u.name).join(", ") })
            : t("volumeOption", { name: v.name, format: v.format, size: size(v.capacity) })}
        </option>
      ))}
    </select>
  );
}

/** The host's libvirt networks; inactive ones are offered too, marked (a NIC may wait for its network's start). */
export function NetworkPicker({ hostId, value, onChange, label, className }: PickerProps) {
  const nets = useNetworks(hostId);
  const t = useTranslations("machines.pickers");
  const all = nets.data?.networks;
  useFirstWhenMissing(
    value,
    all?.map((n) => n.name),
    onChange,
  );
  return (
    <select aria-label={label} className={`${box} ${className ?? ""}`} value={value} onChange={(e) => onChange(e.target.value)} required>
      <Status pending={nets.isPending} error={nets.error} empty={all && !all.length ? t("noNetwork") : null} />
      {all?.map((n) => (
        <option key={n.name} value={n.name}>
          {n.active ? t("networkOption", { name: n.name, mode: n.mode }) : t("networkOptionStopped", { name: n.name, mode: n.mode })}
        </option>
      ))}
    </select>
  );
}

/** CD-ROM media: ISO images by name or by content type. */
export const isIso = (v: VolumeSummary) => /\.iso$/i.test(v.name) || v.format === "iso";
