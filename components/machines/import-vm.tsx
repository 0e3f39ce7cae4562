"use client";
// Import a VM from a VMDK/VDI/VHDX/VHD/qcow2/raw disk or an OVA that is already in a pool
// (an upload, a copy): pick host, pools and volume, name it, optionally override CPU and
// memory; the import runs as one task (its progress shown live, cancellable) and its result
// (converted volume, the OVF's facts) is shown when it ends.
import { useEffect, useMemo, useState, type FormEvent } from "react";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { useFormat } from "../i18n/format";
import { useQuery } from "@tanstack/react-query";
import type { PoolSummary } from "@/server/protocol/pool";
import type { TaskRow } from "@/server/protocol/browser-events";
import type { DiskImportResult } from "@/server/protocol/vm-import";
import { api, ApiClientError } from "../lib/api";
import { useCan } from "../lib/queries";
import { useHosts, useTasks } from "../lib/resources";
import { Button, EmptyState, Field } from "../ui/form";
import { formatMemory } from "./state-badge";
import { ImportProgress } from "./import-progress";

interface ImportResult extends DiskImportResult {
  plan: {
    name: string;
    vcpus: number;
    memoryMiB: number;
    firmware: string;
    nics: { network: string; model: string; sourceNetwork: string | null }[];
  };
  created: boolean;
}

const FINAL = new Set(["succeeded", "failed", "unknown"]);
const selectClass = "rounded border border-slate-300 bg-white px-3 py-2 text-sm dark:border-slate-700 dark:bg-slate-900";

/** Shown next to the machines list to those who may import. */
export function ImportVmLink() {
  const t = useTranslations("machines.import");
  if (!useCan("vm.create")) return null;
  return (
    <Link
      href="/machines/import"
      className="self-start rounded border border-slate-300 px-3 py-2 text-sm hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
    >
      {t("link")}
    </Link>
  );
}

function usePools(hostId: string) {
  return useQuery({
    queryKey: ["vm-import", "pools", hostId],
    queryFn: () => api<{ pools: PoolSummary[] }>(`/api/hosts/${encodeURIComponent(hostId)}/pools`),
    enabled: hostId !== "",
  });
}

function Select({
  label,
  name,
  value,
  onChange,
  options,
  error,
  empty,
}: {
  label: string;
  name: string;
  value: string;
  onChange: (v: string) => void;
  options: { value: string; label: string }[];
  error?: string | undefined;
  empty: string;
}) {
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={name} className="text-sm font-medium">
        {label}
      </label>
      <select id={name} name={name} value={value} onChange={(e) => onChange(e.target.value)} className={selectClass} aria-invalid={!!error}>
        {options.length === 0 && <option value="">{empty}</option>}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {error && <p className="text-sm text-red-600 dark:text-red-400">{error}</p>}
    </div>
  );
}

function ResultView({ r }: { r: ImportResult }) {
  const t = useTranslations("machines.import");
  const { locale } = useFormat();
  const notStated = t("notStated");
  return (
    <div className="flex flex-col gap-2 text-sm" data-testid="import-result">
      <p>
        {t.rich("converted", {
          format: r.sourceFormat.toUpperCase(),
          path: r.volume.path,
          size: formatMemory(r.volume.capacity / 1024, locale),
          strong: (c) => <strong>{c}</strong>,
          code: (c) => <code>{c}</code>,
        })}
      </p>
      {r.ovf ? (
        <dl className="grid grid-cols-[10rem_1fr] gap-x-4 gap-y-1">
          <dt className="text-slate-500">{t("ovfName")}</dt>
          <dd>{r.ovf.name ?? "—"}</dd>
          <dt className="text-slate-500">{t("ovfCpuMemory")}</dt>
          <dd>
            {t("ovfCpuMemoryValue", {
              vcpus: r.ovf.vcpus ?? notStated,
              memory: r.ovf.memoryMiB !== null ? formatMemory(r.ovf.memoryMiB * 1024, locale) : notStated,
            })}
          </dd>
          <dt className="text-slate-500">{t("firmware")}</dt>
          <dd>{r.ovf.firmware.toUpperCase()}</dd>
          <dt className="text-slate-500">{t("nics")}</dt>
          <dd>
            {r.ovf.nics.length
              ? r.ovf.nics.map((n) => t("nicOn", { model: n.model ?? t("nic"), network: n.network ?? "—" })).join(", ")
              : t("noNics")}
          </dd>
          <dt className="text-slate-500">{t("disks")}</dt>
          <dd>
            {r.ovf.disks.map((d) => d.file).join(", ")}
            {r.ovf.disks.length > 1 && ` ${t("onlyFirstDisk")}`}
          </dd>
        </dl>
      ) : (
        <p className="text-slate-500">{t("noOvf")}</p>
      )}
      <p>
        {t("plan", {
          vcpus: r.plan.vcpus,
          memory: formatMemory(r.plan.memoryMiB * 1024, locale),
          firmware: r.plan.firmware.toUpperCase(),
          nics: r.plan.nics.length,
        })}
      </p>
      {!r.created && <p className="rounded bg-amber-50 p-2 text-amber-900 dark:bg-amber-950 dark:text-amber-200">{t("notCreated")}</p>}
    </div>
  );
}

export function ImportVm() {
  const canImport = useCan("vm.create");
  const t = useTranslations("machines.import");
  const tc = useTranslations("common");
  const hosts = useHosts();
  const online = useMemo(() => (hosts.data?.hosts ?? []).filter((h) => h.status === "online"), [hosts.data]);
  const [hostId, setHostId] = useState("");
  useEffect(() => {
    if (!hostId && online[0]) setHostId(online[0].id);
  }, [hostId, online]);
  const pools = usePools(hostId);
  const running = (pools.data?.pools ?? []).filter((p) => p.state === "running");
  const dirPools = running.filter((p) => ["dir", "fs", "netfs"].includes(p.type));
  const [sourcePool, setSourcePool] = useState("");
  const [targetPool, setTargetPool] = useState("");
  useEffect(() => {
    if (!running.some((p) => p.name === sourcePool)) setSourcePool(running[0]?.name ?? "");
    if (!dirPools.some((p) => p.name === targetPool)) setTargetPool(dirPools[0]?.name ?? "");
  }, [running, dirPools, sourcePool, targetPool]);

  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [taskId, setTaskId] = useState<string | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);
  const tasks = useTasks();
  const task: TaskRow | undefined = tasks.data?.tasks.find((t) => t.id === taskId);

  // A 202 ends by task event: then fetch what the import made.
  useEffect(() => {
    if (!taskId || !task || !FINAL.has(task.status) || result) return;
    if (task.status !== "succeeded") {
      setFormError(task.error ?? t("ended", { status: task.status }));
      return;
    }
    void api<{ result: ImportResult | null }>(`/api/machines/${encodeURIComponent(hostId)}/import?task=${encodeURIComponent(taskId)}`).then((r) =>
      setResult(r.result),
    );
  }, [taskId, task, result, hostId, t]);

  if (!canImport) return <EmptyState title={t("forbiddenTitle")}>{t("forbiddenText")}</EmptyState>;
  if (hosts.isSuccess && online.length === 0) return <EmptyState title={t("noHostTitle")}>{t("noHostText")}</EmptyState>;

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const num = (k: string) => (String(f.get(k) ?? "").trim() === "" ? undefined : Number(f.get(k)));
    setErrors({});
    setFormError(null);
    setResult(null);
    setTaskId(null);
    setBusy(true);
    try {
      const r = await api<{ task: TaskRow; result?: ImportResult }>(`/api/machines/${encodeURIComponent(hostId)}/import`, {
        method: "POST",
        body: {
          sourcePool,
          sourceVolume: String(f.get("sourceVolume") ?? "").trim(),
          targetPool,
          name: String(f.get("name") ?? "").trim(),
          vcpus: num("vcpus"),
          memoryMiB: num("memoryMiB"),
          startNow: f.get("startNow") === "on" ? true : undefined,
        },
        headers: { "Idempotency-Key": crypto.randomUUID() },
      });
      setTaskId(r.task.id);
      if (r.result) setResult(r.result);
    } catch (err) {
      if (err instanceof ApiClientError) {
        const fields = { ...err.fields };
        delete fields.task;
        setErrors(fields);
        setFormError(err.message);
      } else setFormError(t("startFailed"));
    } finally {
      setBusy(false);
    }
  };

  const inFlight = taskId && (!task || !FINAL.has(task.status)) && !result;
  return (
    <div className="flex max-w-2xl flex-col gap-4">
      <form
        onSubmit={(e) => void submit(e)}
        noValidate
        className="flex flex-col gap-3 rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900"
      >
        <Select
          label={t("host")}
          name="hostId"
          value={hostId}
          onChange={setHostId}
          options={online.map((h) => ({ value: h.id, label: h.name }))}
          empty={t("noHostOnline")}
        />
        <div className="grid grid-cols-2 gap-3">
          <Select
            label={t("sourcePool")}
            name="sourcePool"
            value={sourcePool}
            onChange={setSourcePool}
            options={running.map((p) => ({ value: p.name, label: p.name }))}
            error={errors.sourcePool}
            empty={pools.isLoading ? tc("loading") : t("noRunningPool")}
          />
          <Field
            label={t("sourceVolume")}
            name="sourceVolume"
            placeholder={t("sourceVolumePlaceholder")}
            required
            error={errors.sourceVolume ?? Object.entries(errors).find(([k]) => k.startsWith("ovf"))?.[1]}
          />
        </div>
        <div className="grid grid-cols-2 gap-3">
          <Field label={t("name")} name="name" placeholder={t("namePlaceholder")} required error={errors.name} />
          <Select
            label={t("targetPool")}
            name="targetPool"
            value={targetPool}
            onChange={setTargetPool}
            options={dirPools.map((p) => ({ value: p.name, label: p.name }))}
            error={errors.targetPool}
            empty={t("noDirPool")}
          />
        </div>
        <div className="grid grid-cols-2 gap-3">
          <Field label={t("vcpus")} name="vcpus" type="number" min={1} max={256} error={errors.vcpus} />
          <Field label={t("memory")} name="memoryMiB" type="number" min={16} step={16} error={errors.memoryMiB} />
        </div>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" name="startNow" /> {t("startNow")}
        </label>
        <p className="text-xs text-slate-500">{t("formatsHelp")}</p>
        {formError && (
          <p role="alert" className="text-sm text-red-600 dark:text-red-400">
            {formError}
          </p>
        )}
        <div>
          <Button type="submit" disabled={busy || !!inFlight || !hostId || !targetPool}>
            {busy || inFlight ? t("busy") : t("submit")}
          </Button>
        </div>
      </form>
      {inFlight && <ImportProgress taskId={taskId} />}
      {result && (
        <section
          aria-label={t("result")}
          className="rounded-lg border border-emerald-300 bg-emerald-50 p-4 dark:border-emerald-800 dark:bg-emerald-950"
        >
          <ResultView r={result} />
        </section>
      )}
    </div>
  );
}
