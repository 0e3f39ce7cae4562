"use client";
// Import a VM from a VMDK/VDI/VHDX/VHD/qcow2/raw disk or an OVA that is already in a pool
// (an upload, a copy): pick host, pools and volume, name it, optionally override CPU and
// memory; the import runs as one task (its progress shown live, cancellable) and its result
// (converted volume, the OVF's facts) is shown when it ends.
import { useEffect, useMemo, useState, type FormEvent } from "react";
import Link from "next/link";
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
  if (!useCan("vm.create")) return null;
  return (
    <Link
      href="/machines/import"
      className="self-start rounded border border-slate-300 px-3 py-2 text-sm hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
    >
      Import a VM…
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
  return (
    <div className="flex flex-col gap-2 text-sm" data-testid="import-result">
      <p>
        Converted <strong>{r.sourceFormat.toUpperCase()}</strong> into <code>{r.volume.path}</code> (qcow2, {formatMemory(r.volume.capacity / 1024)}).
      </p>
      {r.ovf ? (
        <dl className="grid grid-cols-[10rem_1fr] gap-x-4 gap-y-1">
          <dt className="text-slate-500">Name in the OVF</dt>
          <dd>{r.ovf.name ?? "—"}</dd>
          <dt className="text-slate-500">vCPUs / memory</dt>
          <dd>
            {r.ovf.vcpus ?? "not stated"} / {r.ovf.memoryMiB !== null ? formatMemory(r.ovf.memoryMiB * 1024) : "not stated"}
          </dd>
          <dt className="text-slate-500">Firmware</dt>
          <dd>{r.ovf.firmware.toUpperCase()}</dd>
          <dt className="text-slate-500">Network adapters</dt>
          <dd>{r.ovf.nics.length ? r.ovf.nics.map((n) => `${n.model ?? "NIC"} on ${n.network ?? "—"}`).join(", ") : "none"}</dd>
          <dt className="text-slate-500">Disks</dt>
          <dd>
            {r.ovf.disks.map((d) => d.file).join(", ")}
            {r.ovf.disks.length > 1 && " (only the first, the boot disk, was imported)"}
          </dd>
        </dl>
      ) : (
        <p className="text-slate-500">No OVF: CPU and memory come from the form or the defaults.</p>
      )}
      <p>
        The VM: {r.plan.vcpus} vCPU{r.plan.vcpus === 1 ? "" : "s"}, {formatMemory(r.plan.memoryMiB * 1024)}, {r.plan.firmware.toUpperCase()},{" "}
        {r.plan.nics.length} NIC{r.plan.nics.length === 1 ? "" : "s"} on the default network.
      </p>
      {!r.created && (
        <p className="rounded bg-amber-50 p-2 text-amber-900 dark:bg-amber-950 dark:text-amber-200">
          The disk is ready. Defining the VM from it is not available on this server yet; the volume stays in the pool.
        </p>
      )}
    </div>
  );
}

export function ImportVm() {
  const canImport = useCan("vm.create");
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
      setFormError(task.error ?? `The import ended ${task.status}`);
      return;
    }
    void api<{ result: ImportResult | null }>(`/api/machines/${encodeURIComponent(hostId)}/import?task=${encodeURIComponent(taskId)}`).then((r) =>
      setResult(r.result),
    );
  }, [taskId, task, result, hostId]);

  if (!canImport) return <EmptyState title="Importing VMs needs the vm.create permission">Ask an administrator or operator.</EmptyState>;
  if (hosts.isSuccess && online.length === 0)
    return <EmptyState title="No host is online">Imports run on a host&apos;s agent; connect one first.</EmptyState>;

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
      } else setFormError("The import could not be started");
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
          label="Host"
          name="hostId"
          value={hostId}
          onChange={setHostId}
          options={online.map((h) => ({ value: h.id, label: h.name }))}
          empty="No host online"
        />
        <div className="grid grid-cols-2 gap-3">
          <Select
            label="Source pool"
            name="sourcePool"
            value={sourcePool}
            onChange={setSourcePool}
            options={running.map((p) => ({ value: p.name, label: p.name }))}
            error={errors.sourcePool}
            empty={pools.isLoading ? "Loading…" : "No running pool"}
          />
          <Field
            label="Disk or OVA in that pool"
            name="sourceVolume"
            placeholder="e.g. appliance.ova"
            required
            error={errors.sourceVolume ?? Object.entries(errors).find(([k]) => k.startsWith("ovf"))?.[1]}
          />
        </div>
        <div className="grid grid-cols-2 gap-3">
          <Field label="New VM name" name="name" placeholder="e.g. web-01" required error={errors.name} />
          <Select
            label="Convert into pool"
            name="targetPool"
            value={targetPool}
            onChange={setTargetPool}
            options={dirPools.map((p) => ({ value: p.name, label: p.name }))}
            error={errors.targetPool}
            empty="No running directory pool"
          />
        </div>
        <div className="grid grid-cols-2 gap-3">
          <Field label="vCPUs (default: the OVF's, else 1)" name="vcpus" type="number" min={1} max={256} error={errors.vcpus} />
          <Field label="Memory MiB (default: the OVF's, else 1024)" name="memoryMiB" type="number" min={16} step={16} error={errors.memoryMiB} />
        </div>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" name="startNow" /> Start the VM once it is defined
        </label>
        <p className="text-xs text-slate-500">
          VMDK, VDI, VHDX, VHD, qcow2 or raw disks and OVAs are recognised by their content. The disk is converted to qcow2; the source stays as it
          is.
        </p>
        {formError && (
          <p role="alert" className="text-sm text-red-600 dark:text-red-400">
            {formError}
          </p>
        )}
        <div>
          <Button type="submit" disabled={busy || !!inFlight || !hostId || !targetPool}>
            {busy || inFlight ? "Importing…" : "Import"}
          </Button>
        </div>
      </form>
      {inFlight && <ImportProgress taskId={taskId} />}
      {result && (
        <section
          aria-label="Import result"
          className="rounded-lg border border-emerald-300 bg-emerald-50 p-4 dark:border-emerald-800 dark:bg-emerald-950"
        >
          <ResultView r={result} />
        </section>
      )}
    </div>
  );
}
