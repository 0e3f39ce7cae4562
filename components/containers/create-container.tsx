"use client";
// Create a container from an image: name, command, env, ports, volumes, restart policy and
// limits. Field errors from the server (zod or the engine's reason) show under the field.
import { useTranslations } from "next-intl";
import { useState, type FormEvent } from "react";
import type { ContainerCreateSpec } from "@/server/protocol/container";
import { ApiClientError } from "../lib/api";
import { useHosts } from "../lib/resources";
import { useCreateContainer, useImages } from "../lib/container-resources";
import { Button, Field } from "../ui/form";
import { useToast } from "../ui/toasts";

/** Splits a command line on spaces, keeping "quoted parts" together. */
export function splitCommand(s: string): string[] {
  return [...s.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3] ?? "");
}

const lines = (s: string) =>
  s
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);

/** The line that does not parse (the form words the message in the reader's language). */
export function parsePorts(s: string): { spec: NonNullable<ContainerCreateSpec["ports"]>; error: string | null } {
  const spec: NonNullable<ContainerCreateSpec["ports"]> = [];
  for (const l of lines(s)) {
    const m = /^(?:(\d{1,3}(?:\.\d{1,3}){3}):)?(\d+):(\d+)(?:\/(tcp|udp))?$/.exec(l);
    if (!m) return { spec, error: l };
    spec.push({ hostIp: m[1], hostPort: Number(m[2]), containerPort: Number(m[3]), protocol: (m[4] as "tcp" | "udp" | undefined) ?? "tcp" });
  }
  return { spec, error: null };
}

export function parseVolumes(s: string): { spec: NonNullable<ContainerCreateSpec["volumes"]>; error: string | null } {
  const spec: NonNullable<ContainerCreateSpec["volumes"]> = [];
  for (const l of lines(s)) {
    const [source, target, mode] = l.split(":");
    if (!source || !target || (mode && mode !== "ro" && mode !== "rw")) return { spec, error: l };
    spec.push({ source, target, readOnly: mode === "ro" });
  }
  return { spec, error: null };
}

export function CreateContainer({ onDone }: { onDone: () => void }) {
  const hosts = useHosts();
  const withEngine = (hosts.data?.hosts ?? []).filter((h) => h.status === "online" && h.engine);
  const [hostId, setHostId] = useState<string>("");
  const chosen = hostId || withEngine[0]?.id || "";
  const images = useImages(chosen || null);
  const create = useCreateContainer();
  const toast = useToast();
  const t = useTranslations("containers");
  const tCreateRestartPolicy = useTranslations("containers.create.restartPolicy");
  const tc = useTranslations("common");
  const [errors, setErrors] = useState<Record<string, string>>({});

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const get = (k: string) => String(f.get(k) ?? "").trim();
    const ports = parsePorts(get("ports"));
    const volumes = parseVolumes(get("volumes"));
    const local: Record<string, string> = {};
    if (ports.error !== null) local.ports = t("create.portError", { line: ports.error });
    if (volumes.error !== null) local.volumes = t("create.volumeError", { line: volumes.error });
    if (!get("image")) local.image = t("create.required");
    setErrors(local);
    if (Object.keys(local).length) return;
    const spec: Partial<ContainerCreateSpec> = {
      image: get("image"),
      ...(get("name") ? { name: get("name") } : {}),
      ...(get("cmd") ? { cmd: splitCommand(get("cmd")) } : {}),
      ...(lines(get("env")).length ? { env: lines(get("env")) } : {}),
      ...(ports.spec.length ? { ports: ports.spec } : {}),
      ...(volumes.spec.length ? { volumes: volumes.spec } : {}),
      restartPolicy: get("restart") as ContainerCreateSpec["restartPolicy"],
      ...(get("memory") ? { memoryBytes: Math.round(Number(get("memory")) * 1024 * 1024) } : {}),
      ...(get("cpus") ? { cpus: Number(get("cpus")) } : {}),
      start: f.get("start") === "on",
    };
    create.mutate(
      { hostId: chosen, spec },
      {
        onSuccess: (r) => {
          toast(r.container ? t("create.created", { name: (r.container as { name: string }).name }) : t("create.creatingTask"), "success");
          onDone();
        },
        onError: (err) => {
          if (err instanceof ApiClientError) {
            // "ports.0.hostPort" → the Ports field.
            const mapped: Record<string, string> = {};
            for (const [k, v] of Object.entries(err.fields)) mapped[k.split(".")[0]!] ??= v;
            setErrors(Object.keys(mapped).length && !mapped.task ? mapped : { form: err.message });
          } else setErrors({ form: (err as Error).message });
        },
      },
    );
  };

  if (!withEngine.length) return <p className="text-sm text-slate-500">{t("create.noEngine")}</p>;
  const area = "w-full rounded border border-slate-300 bg-white px-3 py-1.5 font-mono text-sm dark:border-slate-700 dark:bg-slate-900";
  return (
    <form onSubmit={submit} noValidate aria-label={t("create.label")} className="grid gap-3 md:grid-cols-2">
      <label className="flex flex-col gap-1 text-sm">
        {t("create.host")}
        <select
          value={chosen}
          onChange={(e) => setHostId(e.target.value)}
          className="rounded border border-slate-300 bg-white px-2 py-1.5 dark:border-slate-700 dark:bg-slate-900"
        >
          {withEngine.map((h) => (
            <option key={h.id} value={h.id}>
              {h.name} ({h.engine!.kind} {h.engine!.version})
            </option>
          ))}
        </select>
      </label>
      <div>
        <Field label={t("create.image")} name="image" list="image-choices" placeholder={t("create.imagePlaceholder")} required error={errors.image} />
        <datalist id="image-choices">
          {images.data?.images
            .flatMap((i) => i.tags)
            .map((t) => (
              <option key={t} value={t} />
            ))}
        </datalist>
      </div>
      {/* i18n-ignore: example values, the same in every language */}
      <Field label={t("create.name")} name="name" placeholder="web-1" error={errors.name} />
      {/* i18n-ignore */}
      <Field label={t("create.command")} name="cmd" placeholder='sh -c "echo hi; sleep 3600"' error={errors.cmd} />
      <label className="flex flex-col gap-1 text-sm">
        {t("create.env")}
        <textarea name="env" rows={3} className={area} aria-invalid={!!errors.env} />
        {errors.env && <span className="text-xs text-red-600">{errors.env}</span>}
      </label>
      <label className="flex flex-col gap-1 text-sm">
        {t("create.ports")}
        <textarea name="ports" rows={3} className={area} placeholder="8080:80" aria-invalid={!!errors.ports} />
        {errors.ports && <span className="text-xs text-red-600">{errors.ports}</span>}
      </label>
      <label className="flex flex-col gap-1 text-sm">
        {t("create.volumes")}
        {/* i18n-ignore: an example path */}
        <textarea name="volumes" rows={2} className={area} placeholder="/srv/data:/data" aria-invalid={!!errors.volumes} />
        {errors.volumes && <span className="text-xs text-red-600">{errors.volumes}</span>}
      </label>
      <div className="grid grid-cols-3 gap-2">
        <label className="flex flex-col gap-1 text-sm">
          {t("create.restart")}
          <select
            name="restart"
            defaultValue="no"
            className="rounded border border-slate-300 bg-white px-2 py-1.5 dark:border-slate-700 dark:bg-slate-900"
          >
            {(["no", "on-failure", "unless-stopped", "always"] as const).map((p) => (
              <option key={p} value={p}>
                {tCreateRestartPolicy(p)}
              </option>
            ))}
          </select>
        </label>
        <Field label={t("create.memory")} name="memory" type="number" min={6} error={errors.memoryBytes} />
        <Field label={t("create.cpus")} name="cpus" type="number" step="0.1" min={0.01} error={errors.cpus} />
      </div>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" name="start" defaultChecked /> {t("create.startNow")}
      </label>
      {errors.form && (
        <p role="alert" className="text-sm text-red-600 md:col-span-2">
          {errors.form}
        </p>
      )}
      <div className="flex gap-2 md:col-span-2">
        <Button type="submit" disabled={create.isPending}>
          {create.isPending ? t("create.creating") : t("create.submit")}
        </Button>
        <Button type="button" variant="secondary" onClick={onDone}>
          {tc("actions.cancel")}
        </Button>
      </div>
    </form>
  );
}
