"use client";
// The create-VM wizard: one form in sections (host, name, boot source, CPU and memory with
// the host's limits, disk, network, firmware, start now). Only what the host has is
// offered; the server checks everything again and its refusals show under the field they
// name. While the task runs the form shows progress, then opens the new VM's console.
import { useEffect, useMemo, useRef, useState, type FormEvent } from "react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useFormat } from "../../i18n/format";
import type { VmCreateOptions } from "@/server/protocol/vm-spec";
import { ApiClientError } from "../../lib/api";
import { useGrants, useMe } from "../../lib/queries";
import { allows } from "@/server/protocol/access";
import { useHosts, useMachines, useTasks } from "../../lib/resources";
import { Button, EmptyState } from "../../ui/form";
import { Breadcrumb } from "../../ui/tabs";
import { Choice, Input, Section, Select } from "./controls";
import { defaults, landingTab, toSpec, type FormState } from "./form-state";
import { BootSection, DiskSection, NetworkSection } from "./sections";
import { useCreateOptions, useCreateVm } from "./use-create-vm";

export function CreateVmWizard({ initialHost }: { initialHost?: string | undefined }) {
  const hosts = useHosts();
  const t = useTranslations("machines");
  // Only hosts the caller may create VMs on (vm.create fleet-wide or on that host).
  const grants = useGrants();
  const mayOn = (id: string) => grants !== null && allows(grants, "vm.create", { type: "host", id });
  const online = (hosts.data?.hosts ?? []).filter((h) => h.status === "online" && mayOn(h.id));
  const [hostId, setHostId] = useState(initialHost ?? "");
  const chosen = online.some((h) => h.id === hostId) ? hostId : (online[0]?.id ?? "");
  const me = useMe();
  const canCreate = (hosts.data?.hosts ?? []).some((h) => mayOn(h.id)) || (grants !== null && allows(grants, "vm.create"));
  const options = useCreateOptions(canCreate && chosen ? chosen : null);

  if (hosts.isPending || me.isPending) return <p className="text-sm text-slate-500">{t("create.loadingHosts")}</p>;
  return (
    <div className="flex max-w-4xl flex-col gap-4">
      <Breadcrumb href="/machines" list={t("title")} here={t("create.newVm")} />
      <h1 className="text-2xl font-semibold">{t("create.title")}</h1>
      {!canCreate ? (
        <EmptyState title={t("create.forbiddenTitle")}>{t("create.forbiddenText")}</EmptyState>
      ) : !online.length ? (
        <EmptyState title={t("create.noHostTitle")}>{t("create.noHostText")}</EmptyState>
      ) : (
        <>
          <Section title={t("create.host")}>
            <Select id="host" label={t("create.createOn")} value={chosen} onChange={setHostId}>
              {online.map((h) => (
                <option key={h.id} value={h.id}>
                  {h.name}
                </option>
              ))}
            </Select>
          </Section>
          {options.isPending && <p className="text-sm text-slate-500">{t("create.askingHost")}</p>}
          {options.error && (
            <p role="alert" className="text-sm text-red-600">
              {t("create.optionsFailed", { error: options.error.message })}
            </p>
          )}
          {/* A new host means new pools and limits: the form starts over from its defaults. */}
          {options.data && <VmForm key={chosen} hostId={chosen} o={options.data} />}
        </>
      )}
    </div>
  );
}

function VmForm({ hostId, o }: { hostId: string; o: VmCreateOptions }) {
  const router = useRouter();
  const t = useTranslations("machines.create");
  const tc = useTranslations("common");
  const fmt = useFormat();
  const [f, setF] = useState<FormState>(() => defaults(o));
  const set = (p: Partial<FormState>) => setF((old) => ({ ...old, ...p }));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [taskId, setTaskId] = useState<string | null>(null);
  const [startedAt, setStartedAt] = useState<number | null>(null);
  const create = useCreateVm();
  const tasks = useTasks();
  const machines = useMachines();
  const formRef = useRef<HTMLFormElement>(null);
  const submitted = useRef<FormState | null>(null);

  const open = (uuid: string) => {
    const tab = landingTab(submitted.current ?? f);
    router.push(`/machines/${encodeURIComponent(hostId)}/${encodeURIComponent(uuid)}${tab === "overview" ? "" : `?tab=${tab}`}`);
  };

  // A create that outlasted the POST (202): its task finishes over the event socket.
  const task = taskId ? tasks.data?.tasks.find((t) => t.id === taskId) : undefined;
  const made = useMemo(
    () => (task?.status === "succeeded" ? machines.data?.rows.find((r) => r.hostId === hostId && r.name === submitted.current?.name) : undefined),
    [task?.status, machines.data, hostId],
  );
  useEffect(() => {
    if (made) open(made.uuid);
    else if (task && (task.status === "failed" || task.status === "unknown")) {
      setErrors({ form: task.error ?? t("ended", { status: task.status }) });
      setTaskId(null);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- open() reads refs; only the task's outcome matters
  }, [made, task?.status]);

  // After a refusal, put the keyboard on the first field named.
  useEffect(() => {
    const first = Object.keys(errors).find((k) => k !== "form");
    if (first) (document.getElementById(first) ?? formRef.current?.querySelector<HTMLElement>(`[name="${first.split(".")[0]}"]`))?.focus();
  }, [errors]);

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const { spec, errors: local } = toSpec(f);
    setErrors(Object.fromEntries(Object.entries(local).map(([k, v]) => [k, t(`validation.${v}`)])));
    if (!spec) return;
    submitted.current = f;
    setStartedAt(Date.now());
    create.mutate(
      { hostId, spec, key: `vm-create-${crypto.randomUUID()}` },
      {
        onSuccess: (r) => {
          if (r.machine) open(r.machine.uuid);
          else setTaskId(r.task.id);
        },
        onError: (err) => {
          if (!(err instanceof ApiClientError)) return setErrors({ form: (err as Error).message });
          const named = Object.entries(err.fields).filter(([k]) => k !== "task");
          // Named fields show under themselves; the message alone only when it names none.
          setErrors(named.length ? Object.fromEntries(named) : { form: err.message });
        },
      },
    );
  };

  const busy = create.isPending || taskId !== null;
  const memHint = t("memoryHint", { mib: fmt.number(o.memoryMiB) });
  return (
    <form ref={formRef} onSubmit={submit} noValidate aria-label={t("title")} aria-busy={busy} className="flex flex-col gap-4">
      <Section title={t("nameSection")}>
        <div className="grid gap-3 md:grid-cols-2">
          <Input
            id="name"
            label={t("name")}
            value={f.name}
            onChange={(name) => set({ name })}
            error={errors.name}
            required
            autoFocus
            placeholder={t("namePlaceholder")}
            maxLength={200}
          />
          <Input id="title" label={t("vmTitle")} value={f.title} onChange={(title) => set({ title })} error={errors.title} />
        </div>
        <div className="flex flex-col gap-1 text-sm">
          <label htmlFor="description" className="font-medium">
            {t("description")}
          </label>
          <textarea
            id="description"
            rows={2}
            value={f.description}
            maxLength={4096}
            onChange={(e) => set({ description: e.target.value })}
            aria-invalid={!!errors.description}
            className="rounded border border-slate-300 bg-white px-2 py-1.5 dark:border-slate-700 dark:bg-slate-900"
          />
          {errors.description && <span className="text-xs text-red-600">{errors.description}</span>}
        </div>
      </Section>
      <BootSection o={o} f={f} set={set} errors={errors} />
      <Section title={t("cpuSection")}>
        <div className="grid gap-3 md:grid-cols-3">
          <Input
            id="vcpus"
            label={t("vcpus")}
            type="number"
            min={1}
            max={o.cpus}
            value={f.vcpus}
            onChange={(vcpus) => set({ vcpus })}
            error={errors.vcpus}
            hint={t("cpuHint", { count: o.cpus })}
          />
          <Input
            id="memoryMiB"
            label={t("memory")}
            type="number"
            min={64}
            max={o.memoryMiB}
            step={64}
            value={f.memoryMiB}
            onChange={(memoryMiB) => set({ memoryMiB })}
            error={errors.memoryMiB}
            hint={memHint}
          />
          <div className="flex flex-col gap-1 text-sm">
            <span className="font-medium">{t("firmware")}</span>
            <Choice
              name="firmware"
              legend={t("firmware")}
              value={f.firmware}
              onChange={(firmware) => set({ firmware })}
              options={[
                { value: "bios", label: t("bios") },
                { value: "uefi", label: t("uefi"), disabled: !o.uefi, hint: t("noOvmf") },
              ]}
            />
            {errors.firmware && <span className="text-xs text-red-600">{errors.firmware}</span>}
          </div>
        </div>
        <p className="text-xs text-slate-500">{o.virtType === "kvm" ? t("runsKvm") : t("runsTcg")}</p>
      </Section>
      <DiskSection o={o} f={f} set={set} errors={errors} />
      <NetworkSection o={o} f={f} set={set} errors={errors} />
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" checked={f.startNow} onChange={(e) => set({ startNow: e.target.checked })} /> {t("startNow")}
      </label>
      <p className="text-xs text-slate-500">{t("graphicsNote")}</p>
      {errors.form && (
        <p role="alert" className="text-sm text-red-600">
          {errors.form}
        </p>
      )}
      {busy && <Progress startedAt={startedAt} f={submitted.current ?? f} queued={taskId !== null} />}
      <div className="flex gap-2">
        <Button type="submit" disabled={busy}>
          {busy ? t("busy") : t("submit")}
        </Button>
        <Button type="button" variant="secondary" onClick={() => router.push("/machines")} disabled={create.isPending}>
          {tc("actions.cancel")}
        </Button>
      </div>
    </form>
  );
}

function Progress({ startedAt, f, queued }: { startedAt: number | null; f: FormState; queued: boolean }) {
  const [now, setNow] = useState(() => Date.now());
  const t = useTranslations("machines.create.progress");
  useEffect(() => {
    const i = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(i);
  }, []);
  const steps = [f.diskKind === "new" ? t("disk") : null, t("define"), f.startNow ? t("start") : null].filter(Boolean).join(", ");
  const s = startedAt ? Math.max(0, Math.round((now - startedAt) / 1000)) : 0;
  return (
    <p role="status" aria-live="polite" className="flex items-center gap-2 text-sm text-slate-600 dark:text-slate-300">
      <span className="inline-block h-3 w-3 animate-spin rounded-full border-2 border-sky-600 border-t-transparent" aria-hidden />
      {queued ? t("queued", { name: f.name, steps, seconds: s }) : t("running", { name: f.name, steps, seconds: s })}
    </p>
  );
}
