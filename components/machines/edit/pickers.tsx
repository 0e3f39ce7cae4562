"use client";
// Pickers for the edit form: the host's pools, a pool's volumes and the host's networks as
// native <select>s (keyboard and screen-reader friendly as they come), fed by the same
// queries as the Storage and Networks pages, so what those list can be attached here and
// their live updates reach these lists too.
import { useEffect } from "react";
import type { VolumeSummary } from "@/server/protocol/volume";
import { usePools, useVolumes } from "../../storage/storage-queries";
import { useNetworks } from "../../networks/network-resources";

export const box = "rounded border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-900";
const GiB = 1024 ** 3;
const size = (b: number) => (b >= GiB ? `${(b / GiB).toFixed(1)} GiB` : `${Math.round(b / 1024 ** 2)} MiB`);

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
  const text = pending ? "Loading…" : error ? `Could not list: ${error.message}` : empty;
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
  const active = pools.data?.pools.filter((p) => p.state === "running");
  useFirstWhenMissing(
    value,
    active?.map((p) => p.name),
    onChange,
  );
  return (
    <select aria-label={label} className={`${box} ${className ?? ""}`} value={value} onChange={(e) => onChange(e.target.value)} required>
      <Status pending={pools.isPending} error={pools.error} empty={active && !active.length ? "No running pool" : null} />
      {active?.map((p) => (
        <option key={p.name} value={p.name}>
          {p.name} ({size(p.available)} free)
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
        empty={!pool ? "Choose a pool" : offered && !offered.length ? "No volume" : null}
      />
      {offered?.map((v) => (
        <option key={v.name} value={v.name}>
          {v.name} ({v.format}, {size(v.capacity)}){v.usedBy.length ? ` — used by ${v.usedBy.map((u) => u.name).join(", ")}` : ""}
        </option>
      ))}
    </select>
  );
}

/** The host's libvirt networks; inactive ones are offered too, marked (a NIC may wait for its network's start). */
export function NetworkPicker({ hostId, value, onChange, label, className }: PickerProps) {
  const nets = useNetworks(hostId);
  const all = nets.data?.networks;
  useFirstWhenMissing(
    value,
    all?.map((n) => n.name),
    onChange,
  );
  return (
    <select aria-label={label} className={`${box} ${className ?? ""}`} value={value} onChange={(e) => onChange(e.target.value)} required>
      <Status pending={nets.isPending} error={nets.error} empty={all && !all.length ? "No network on this host" : null} />
      {all?.map((n) => (
        <option key={n.name} value={n.name}>
          {n.name} ({n.mode}
          {n.active ? "" : ", stopped"})
        </option>
      ))}
    </select>
  );
}

/** CD-ROM media: ISO images by name or by content type. */
export const isIso = (v: VolumeSummary) => /\.iso$/i.test(v.name) || v.format === "iso";
