"use client";
// Create, resize and clone a volume. Sizes are typed with a unit; the pool's free space is
// shown where it matters, and the server's refusal (name taken, too big, a shrink) shows
// under the field it names.
import { useState } from "react";
import type { PoolSummary } from "@/server/protocol/pool";
import type { VolumeSummary } from "@/server/protocol/volume";
import { FieldError, FormDialog, inputClass } from "./form-dialog";
import { formatBytes, parseSize, SIZE_UNITS, type SizeUnit } from "./format";
import { poolPath, useStorageChange, volumePath } from "./storage-queries";
import { useFormErrors } from "./use-form-errors";

function SizeInput({ id, defaultValue, error }: { id: string; defaultValue: string; error: string | undefined }) {
  return (
    <div className="flex gap-2">
      <input
        id={id}
        name="size"
        inputMode="decimal"
        defaultValue={defaultValue}
        className={`${inputClass} w-32`}
        aria-invalid={!!error}
        aria-describedby={`${id}-error`}
      />
      <select name="unit" defaultValue="GiB" aria-label="Unit" className={inputClass}>
        {Object.keys(SIZE_UNITS).map((u) => (
          <option key={u}>{u}</option>
        ))}
      </select>
    </div>
  );
}

const sizeOf = (f: FormData) => parseSize(String(f.get("size") ?? ""), String(f.get("unit") ?? "GiB") as SizeUnit);

export function CreateVolumeDialog({ hostId, pool, open, onClose }: { hostId: string; pool: PoolSummary; open: boolean; onClose: () => void }) {
  const change = useStorageChange(hostId);
  const errors = useFormErrors();
  const close = () => {
    errors.reset();
    onClose();
  };
  const submit = (f: FormData) => {
    const name = String(f.get("name") ?? "").trim();
    const format = String(f.get("format") ?? "qcow2");
    const capacity = sizeOf(f);
    const local: Record<string, string> = {};
    if (!name) local.name = "Give the volume a name";
    if (capacity === null) local.capacity = "A size above zero";
    else if (capacity > pool.available) local.capacity = `At most the pool's free ${formatBytes(pool.available)}`;
    if (Object.keys(local).length) return errors.setLocal(local);
    change.mutate(
      { path: `${poolPath(hostId, pool.name)}/volumes`, method: "POST", body: { name, format, capacity }, label: `Create ${name}` },
      { onSuccess: close, onError: (e) => errors.fail(e, ["name", "format", "capacity"]) },
    );
  };
  return (
    <FormDialog
      open={open}
      title={`New volume in ${pool.name}`}
      submitLabel="Create"
      busy={change.isPending}
      error={errors.general}
      onSubmit={submit}
      onCancel={close}
    >
      <label htmlFor="vol-name" className="text-sm font-medium">
        Name
      </label>
      <input
        id="vol-name"
        name="name"
        className={inputClass}
        maxLength={200}
        placeholder="disk1.qcow2"
        aria-invalid={!!errors.fields.name}
        aria-describedby="vol-name-error"
        autoFocus
      />
      <FieldError id="vol-name" error={errors.fields.name} />
      <fieldset className="flex gap-4 text-sm">
        <legend className="mb-1 font-medium">Format</legend>
        <label className="inline-flex items-center gap-1">
          <input type="radio" name="format" value="qcow2" defaultChecked /> qcow2 (thin, snapshots)
        </label>
        <label className="inline-flex items-center gap-1">
          <input type="radio" name="format" value="raw" /> raw (fastest)
        </label>
      </fieldset>
      <label htmlFor="vol-size" className="text-sm font-medium">
        Size
      </label>
      <SizeInput id="vol-size" defaultValue="10" error={errors.fields.capacity} />
      <FieldError id="vol-size" error={errors.fields.capacity} />
      <p className="text-xs text-slate-500" data-testid="pool-free">
        Free in {pool.name}: {formatBytes(pool.available)}
      </p>
    </FormDialog>
  );
}

export function ResizeVolumeDialog({
  hostId,
  pool,
  volume,
  onClose,
}: {
  hostId: string;
  pool: PoolSummary;
  volume: VolumeSummary | null;
  onClose: () => void;
}) {
  const change = useStorageChange(hostId);
  const errors = useFormErrors();
  const close = () => {
    errors.reset();
    onClose();
  };
  const submit = (f: FormData) => {
    if (!volume) return;
    const capacity = sizeOf(f);
    if (capacity === null) return errors.setLocal({ capacity: "A size above zero" });
    if (capacity <= volume.capacity)
      return errors.setLocal({ capacity: `Larger than the current ${formatBytes(volume.capacity)}: volumes only grow` });
    change.mutate(
      {
        path: `${volumePath(hostId, pool.name, volume.name)}/actions`,
        method: "POST",
        body: { action: "resize", capacity },
        label: `Resize ${volume.name}`,
      },
      { onSuccess: close, onError: (e) => errors.fail(e, ["capacity"]) },
    );
  };
  const gib = volume ? String(Math.ceil((volume.capacity / SIZE_UNITS.GiB) * 10) / 10 + 1) : "";
  return (
    <FormDialog
      open={volume !== null}
      title={`Grow ${volume?.name ?? ""}`}
      submitLabel="Grow"
      busy={change.isPending}
      error={errors.general}
      onSubmit={submit}
      onCancel={close}
    >
      <p className="text-sm">
        Now {volume ? formatBytes(volume.capacity) : ""}. The guest must grow its partition and file system itself afterwards.
      </p>
      <label htmlFor="resize-size" className="text-sm font-medium">
        New size
      </label>
      <SizeInput id="resize-size" defaultValue={gib} error={errors.fields.capacity} />
      <FieldError id="resize-size" error={errors.fields.capacity} />
    </FormDialog>
  );
}

export function CloneVolumeDialog({
  hostId,
  pool,
  volume,
  onClose,
}: {
  hostId: string;
  pool: PoolSummary;
  volume: VolumeSummary | null;
  onClose: () => void;
}) {
  const change = useStorageChange(hostId);
  const errors = useFormErrors();
  const [seed] = useState(() => Math.random().toString(36).slice(2, 6));
  const close = () => {
    errors.reset();
    onClose();
  };
  const submit = (f: FormData) => {
    if (!volume) return;
    const newName = String(f.get("newName") ?? "").trim();
    if (!newName) return errors.setLocal({ newName: "Give the copy a name" });
    change.mutate(
      {
        path: `${volumePath(hostId, pool.name, volume.name)}/actions`,
        method: "POST",
        body: { action: "clone", newName },
        label: `Clone ${volume.name}`,
      },
      { onSuccess: close, onError: (e) => errors.fail(e, ["newName"]) },
    );
  };
  const suggested = volume ? volume.name.replace(/(\.[^.]+)?$/, (ext) => `-copy-${seed}${ext}`) : "";
  return (
    <FormDialog
      open={volume !== null}
      title={`Clone ${volume?.name ?? ""}`}
      submitLabel="Clone"
      busy={change.isPending}
      error={errors.general}
      onSubmit={submit}
      onCancel={close}
    >
      <label htmlFor="clone-name" className="text-sm font-medium">
        Name of the copy
      </label>
      <input
        key={suggested}
        id="clone-name"
        name="newName"
        defaultValue={suggested}
        className={inputClass}
        maxLength={200}
        aria-invalid={!!errors.fields.newName}
        aria-describedby="clone-name-error"
      />
      <FieldError id="clone-name" error={errors.fields.newName} />
      <p className="text-xs text-slate-500">
        A full copy in {pool.name} (needs up to {volume ? formatBytes(volume.allocation) : ""}; free: {formatBytes(pool.available)}). Copying a disk
        in use by a running guest gives an inconsistent copy.
      </p>
    </FormDialog>
  );
}
