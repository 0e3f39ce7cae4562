"use client";
// Create a backup or snapshot job: target, cron with a preview of its next three runs in
// the chosen time zone (computed by the server, as the scheduler will), retention, directory.
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useFormat } from "../i18n/format";
import type { BackupTarget } from "@/server/protocol";
import { useCreateJob, useCronPreview } from "../lib/backups";
import { useMachines } from "../lib/resources";
import { ApiClientError } from "../lib/api";
import { Button, Field } from "../ui/form";

const num = (s: string) => (s.trim() ? Number(s) : undefined);

export function JobForm({ onDone }: { onDone: () => void }) {
  const machines = useMachines();
  const create = useCreateJob();
  const [name, setName] = useState("");
  const [kind, setKind] = useState<"backup" | "snapshot">("backup");
  const [targetType, setTargetType] = useState<BackupTarget["type"]>("vm");
  const [vm, setVm] = useState("");
  const [tag, setTag] = useState("");
  const [cron, setCron] = useState("0 2 * * *");
  const [timeZone, setTimeZone] = useState(() => Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC");
  const [last, setLast] = useState("7");
  const [daily, setDaily] = useState("");
  const [weekly, setWeekly] = useState("");
  const [destination, setDestination] = useState("/var/lib/hangar-backups");
  const preview = useCronPreview(cron, timeZone);
  const t = useTranslations("backups.form");
  const tc = useTranslations("common");
  const f = useFormat();
  const rows = machines.data?.rows ?? [];
  const hosts = [...new Set(rows.map((r) => r.hostId))];
  const fields: Record<string, string> = create.error instanceof ApiClientError ? create.error.fields : {};

  const target = (): BackupTarget => {
    if (targetType === "tag") return { type: "tag", tag };
    const [hostId = "", uuid = ""] = vm.split("/");
    return targetType === "vm" ? { type: "vm", hostId, uuid } : { type: "host", hostId: vm || hosts[0] || "" };
  };
  const submit = () =>
    create.mutate(
      {
        name,
        kind,
        target: target(),
        cron,
        timeZone,
        retention: { last: num(last), daily: num(daily), weekly: num(weekly) },
        destination: kind === "backup" ? destination : undefined,
      },
      { onSuccess: onDone },
    );
  const select = "rounded border border-slate-300 bg-white px-3 py-2 text-sm dark:border-slate-700 dark:bg-slate-900";

  return (
    <form
      aria-label={t("label")}
      className="grid max-w-2xl gap-3 rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <Field label={t("name")} name="job-name" value={name} onChange={(e) => setName(e.target.value)} error={fields.name} required />
      <label className="flex flex-col gap-1 text-sm font-medium">
        <span id="job-kind-label">{t("kind")}</span>
        <select aria-labelledby="job-kind-label" className={select} value={kind} onChange={(e) => setKind(e.target.value as "backup" | "snapshot")}>
          <option value="backup">{t("kindBackup")}</option>
          <option value="snapshot">{t("kindSnapshot")}</option>
        </select>
      </label>
      <label className="flex flex-col gap-1 text-sm font-medium">
        <span id="job-target-label">{t("target")}</span>
        <select
          aria-labelledby="job-target-label"
          className={select}
          value={targetType}
          onChange={(e) => setTargetType(e.target.value as BackupTarget["type"])}
        >
          <option value="vm">{t("targetVm")}</option>
          <option value="host">{t("targetHost")}</option>
          <option value="tag">{t("targetTag")}</option>
        </select>
      </label>
      {targetType === "vm" && (
        <label className="flex flex-col gap-1 text-sm font-medium">
          <span id="job-machine-label">{t("machine")}</span>
          <select aria-labelledby="job-machine-label" className={select} value={vm} onChange={(e) => setVm(e.target.value)}>
            <option value="">{t("choose")}</option>
            {rows.map((r) => (
              <option key={`${r.hostId}/${r.uuid}`} value={`${r.hostId}/${r.uuid}`}>
                {r.name}
              </option>
            ))}
          </select>
        </label>
      )}
      {targetType === "host" && (
        <label className="flex flex-col gap-1 text-sm font-medium">
          <span id="job-host-label">{t("host")}</span>
          <select aria-labelledby="job-host-label" className={select} value={vm} onChange={(e) => setVm(e.target.value)}>
            {hosts.map((h) => (
              <option key={h} value={h}>
                {rows.find((r) => r.hostId === h)?.hostName ?? h}
              </option>
            ))}
          </select>
        </label>
      )}
      {targetType === "tag" && <Field label={t("tag")} name="job-tag" value={tag} onChange={(e) => setTag(e.target.value)} />}
      {fields.target && <p className="text-sm text-red-600">{fields.target}</p>}
      <Field label={t("cron")} name="job-cron" value={cron} onChange={(e) => setCron(e.target.value)} error={fields.cron} />
      <Field label={t("timeZone")} name="job-tz" value={timeZone} onChange={(e) => setTimeZone(e.target.value)} error={fields.timeZone} />
      <div className="text-sm" aria-live="polite" data-testid="cron-preview">
        {preview.error ? (
          <span className="text-red-600">{preview.error.message}</span>
        ) : (
          t("nextRuns", { runs: (preview.data?.nextRuns ?? []).map((at) => f.date(at, "datetime", timeZone)).join(" · "), timeZone })
        )}
      </div>
      <div className="grid grid-cols-3 gap-2">
        <Field label={t("keepLast")} name="keep-last" inputMode="numeric" value={last} onChange={(e) => setLast(e.target.value)} />
        <Field label={t("daily")} name="keep-daily" inputMode="numeric" value={daily} onChange={(e) => setDaily(e.target.value)} />
        <Field label={t("weekly")} name="keep-weekly" inputMode="numeric" value={weekly} onChange={(e) => setWeekly(e.target.value)} />
      </div>
      {kind === "backup" && (
        <Field
          label={t("destination")}
          name="job-dest"
          value={destination}
          onChange={(e) => setDestination(e.target.value)}
          error={fields.destination}
        />
      )}
      {create.error && !Object.keys(fields).length && <p className="text-sm text-red-600">{create.error.message}</p>}
      <div className="flex gap-2">
        <Button type="submit" disabled={create.isPending}>
          {t("create")}
        </Button>
        <Button variant="secondary" onClick={onDone}>
          {tc("actions.cancel")}
        </Button>
      </div>
    </form>
  );
}
