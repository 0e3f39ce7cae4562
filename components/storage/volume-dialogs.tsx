"use client";
// Create, resize and clone a volume. Sizes are typed with a unit; the pool's free space is
// shown where it matters, and the server's refusal (name taken, too big, a shrink) shows
// under the field it names.
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useFormat } from "../i18n/format";
import type { PoolSummary } from "@/server/protocol/pool";
import type { VolumeSummary } from "@/server/protocol/volume";
import { FieldError, FormDialog, inputClass } from "./form-dialog";
import { parseSize, SIZE_UNITS, type SizeUnit } from "./format";
import { poolPath, useStorageChange, volumePath } from "./storage-queries";
import { useFormErrors } from "./use-form-errors";

function SizeInput({ id, defaultValue, error }: { id: string; defaultValue: string; error: string | undefined }) {
  const t = useTranslations("storage");
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
      <select name="unit" defaultValue="GiB" aria-label={t("volumeDialogs.unit")} className={inputClass}>
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
  const t = useTranslations("storage");
  const f = useFormat();
  const close = () => {
    errors.reset();
    onClose();
  };
  const submit = (form: FormData) => {
    const name = String(form.get("name") ?? "").trim();
    const format = String(form.get("format") ?? "qcow2");
    const capacity = sizeOf(form);
    const local: Record<string, string> = {};
    if (!name) local.name = t("volumeDialogs.nameRequired");
    if (capacity === null) local.capacity = t("volumeDialogs.sizeRequired");
    else if (capacity > pool.available) local.capacity = t("volumeDialogs.tooBig", { size: f.bytes(pool.available) });
    if (Object.keys(local).length) return errors.setLocal(local);
    change.mutate(
      { path: `${poolPath(hostId, pool.name)}/volumes`, method: "POST", body: { name, format, capacity }, label: t("task.createVolume", { name }) },
      { onSuccess: close, onError: (e) => errors.fail(e, ["name", "format", "capacity"]) },
    );
  };
  return (
    <FormDialog
      open={open}
      title={t("volumeDialogs.createTitle", { pool: pool.name })}
      submitLabel={t("volumeDialogs.create")}
      busy={change.isPending}
      error={errors.general}
      onSubmit={submit}
      onCancel={close}
    >
      <label htmlFor="vol-name" className="text-sm font-medium">
        {t("volumeDialogs.name")}
      </label>
      <input
        id="vol-name"
        name="name"
        className={inputClass}
        maxLength={200}
        // i18n-ignore: an example file name
        placeholder="disk1.qcow2"
        aria-invalid={!!errors.fields.name}
        aria-describedby="vol-name-error"
        autoFocus
      />
      <FieldError id="vol-name" error={errors.fields.name} />
      <fieldset className="flex gap-4 text-sm">
        <legend className="mb-1 font-medium">{t("volumeDialogs.format")}</legend>
        <label className="inline-flex items-center gap-1">
          <input type="radio" name="format" value="qcow2" defaultChecked /> {t("volumeDialogs.qcow2")}
        </label>
        <label className="inline-flex items-center gap-1">
          <input type="radio" name="format" value="raw" /> {t("volumeDialogs.raw")}
        </label>
      </fieldset>
      <label htmlFor="vol-size" className="text-sm font-medium">
        {t("volumeDialogs.size")}
      </label>
      <SizeInput id="vol-size" defaultValue="10" error={errors.fields.capacity} />
      <FieldError id="vol-size" error={errors.fields.capacity} />
      <p className="text-xs text-slate-500" data-testid="pool-free">
        {t("volumeDialogs.free", { pool: pool.name, size: f.bytes(pool.available) })}
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
  const t = useTranslations("storage");
  const f = useFormat();
  const close = () => {
    errors.reset();
    onClose();
  };
  const submit = (form: FormData) => {
    if (!volume) return;
    const capacity = sizeOf(form);
    if (capacity === null) return errors.setLocal({ capacity: t("volumeDialogs.sizeRequired") });
    if (capacity <= volume.capacity) return errors.setLocal({ capacity: t("volumeDialogs.mustGrow", { size: f.bytes(volume.capacity) }) });
    change.mutate(
      {
        path: `${volumePath(hostId, pool.name, volume.name)}/actions`,
        method: "POST",
        body: { action: "resize", capacity },
        label: t("task.resizeVolume", { name: volume.name }),
      },
      { onSuccess: close, onError: (e) => errors.fail(e, ["capacity"]) },
    );
  };
  const gib = volume ? String(Math.ceil((volume.capacity / SIZE_UNITS.GiB) * 10) / 10 + 1) : "";
  return (
    <FormDialog
      open={volume !== null}
      title={t("volumeDialogs.growTitle", { name: volume?.name ?? "" })}
      submitLabel={t("volumeDialogs.grow")}
      busy={change.isPending}
      error={errors.general}
      onSubmit={submit}
      onCancel={close}
    >
      <p className="text-sm">{t("volumeDialogs.growHelp", { size: volume ? f.bytes(volume.capacity) : "" })}</p>
      <label htmlFor="resize-size" className="text-sm font-medium">
        {t("volumeDialogs.newSize")}
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
  const t = useTranslations("storage");
  const f = useFormat();
  const [seed] = useState(() => Math.random().toString(36).slice(2, 6));
  const close = () => {
    errors.reset();
    onClose();
  };
  const submit = (form: FormData) => {
    if (!volume) return;
    const newName = String(form.get("newName") ?? "").trim();
    if (!newName) return errors.setLocal({ newName: t("volumeDialogs.copyNameRequired") });
    change.mutate(
      {
        path: `${volumePath(hostId, pool.name, volume.name)}/actions`,
        method: "POST",
        body: { action: "clone", newName },
        label: t("task.cloneVolume", { name: volume.name }),
      },
      { onSuccess: close, onError: (e) => errors.fail(e, ["newName"]) },
    );
  };
  const suggested = volume ? volume.name.replace(/(\.[^.]+)?$/, (ext) => `-copy-${seed}${ext}`) : "";
  return (
    <FormDialog
      open={volume !== null}
      title={t("volumeDialogs.cloneTitle", { name: volume?.name ?? "" })}
      submitLabel={t("volumeDialogs.clone")}
      busy={change.isPending}
      error={errors.general}
      onSubmit={submit}
      onCancel={close}
    >
      <label htmlFor="clone-name" className="text-sm font-medium">
        {t("volumeDialogs.copyName")}
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
        {t("volumeDialogs.cloneHelp", { pool: pool.name, size: volume ? f.bytes(volume.allocation) : "", free: f.bytes(pool.available) })}
      </p>
    </FormDialog>
  );
}
