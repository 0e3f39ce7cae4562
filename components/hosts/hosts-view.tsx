"use client";
import { useTranslations } from "next-intl";
import { useState, type FormEvent } from "react";
import { useFormat } from "../i18n/format";
import { useCan } from "../lib/queries";
import type { HostRow } from "@/server/protocol/browser-events";
import { ApiClientError } from "../lib/api";
import { useAddHost, useHosts, useRemoveHost, useRenewEnrollment } from "../lib/resources";
import { Button, EmptyState, Field } from "../ui/form";
import { ConfirmDialog } from "../ui/confirm-dialog";
import Link from "next/link";
import { Sparkline } from "../metrics/sparkline";
import { HOST_METRICS } from "@/server/protocol/metric-names";
import { memoryText, useHostStatusText } from "./host-status";

function CopyCommand({ command }: { command: string }) {
  const [copied, setCopied] = useState(false);
  const t = useTranslations("hosts.enroll");
  const tc = useTranslations("common");
  return (
    <div className="flex flex-col gap-2">
      <pre
        data-testid="enroll-command"
        className="overflow-x-auto whitespace-pre-wrap break-all rounded bg-slate-900 p-3 font-mono text-xs text-slate-100"
      >
        {command}
      </pre>
      <div>
        <Button
          variant="secondary"
          onClick={() => {
            void navigator.clipboard?.writeText(command).then(() => setCopied(true));
          }}
        >
          {copied ? tc("actions.copied") : t("copy")}
        </Button>
      </div>
      <p className="text-xs text-slate-500">{t("help")}</p>
    </div>
  );
}

function AddHost() {
  const add = useAddHost();
  const [fieldError, setFieldError] = useState<string | undefined>();
  const t = useTranslations("hosts.add");
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const name = String(new FormData(e.currentTarget).get("name") ?? "");
    setFieldError(undefined);
    add.mutate(name, { onError: (err) => setFieldError(err instanceof ApiClientError ? (err.fields.name ?? err.message) : t("failed")) });
  };
  return (
    <section aria-labelledby="add-host-h" className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
      <h2 id="add-host-h" className="mb-3 font-medium">
        {t("title")}
      </h2>
      {add.data ? (
        <div className="flex flex-col gap-2">
          <p className="text-sm">{t.rich("waiting", { name: add.data.host.name, b: (c) => <strong>{c}</strong> })}</p>
          <CopyCommand command={add.data.command} />
          <div>
            <Button variant="secondary" onClick={() => add.reset()}>
              {t("another")}
            </Button>
          </div>
        </div>
      ) : (
        <form onSubmit={submit} className="flex items-end gap-2" noValidate>
          <div className="w-72">
            <Field label={t("name")} name="name" placeholder={t("placeholder")} required error={fieldError} />
          </div>
          <Button type="submit" disabled={add.isPending}>
            {t("submit")}
          </Button>
        </form>
      )}
    </section>
  );
}

function HostCard({ h }: { h: HostRow }) {
  const remove = useRemoveHost();
  const renew = useRenewEnrollment();
  const [confirm, setConfirm] = useState(false);
  const canManage = useCan("host.manage");
  const t = useTranslations("hosts.card");
  const f = useFormat();
  const statusText = useHostStatusText();
  const dot = h.status === "online" ? "bg-green-500" : h.status === "pending" ? "bg-amber-400" : "bg-red-500";
  return (
    <li
      data-testid="host-card"
      data-host={h.name}
      data-status={h.status}
      className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900"
    >
      <div className="flex items-center justify-between">
        <div className="flex items-center gap-2">
          <span aria-hidden className={`h-2.5 w-2.5 rounded-full ${dot}`} />
          <h3 className="font-medium">
            <Link href={`/hosts/${h.id}`} className="text-sky-700 hover:underline dark:text-sky-400">
              {h.name}
            </Link>
          </h3>
          <span data-testid="host-status" className="text-sm text-slate-500">
            {statusText(h)}
          </span>
        </div>
        {h.status === "online" && (
          <div className="flex items-center gap-4 text-xs text-slate-500">
            <span className="flex items-center gap-1">
              {t("cpu")} <Sparkline series={`host/${h.id}`} index={0} unit="percent" max={100} label={t("cpuOf", { name: h.name })} />
            </span>
            <span className="flex items-center gap-1">
              {t("memory")}{" "}
              <Sparkline
                series={`host/${h.id}`}
                index={HOST_METRICS.indexOf("mem.used")}
                unit="bytes"
                max={h.facts?.memoryBytes}
                label={t("memoryOf", { name: h.name })}
              />
            </span>
          </div>
        )}
        <div className={`flex gap-2 ${canManage ? "" : "hidden"}`}>
          <Button variant="secondary" onClick={() => renew.mutate(h.id)}>
            {t("renew")}
          </Button>
          <Button variant="danger" onClick={() => setConfirm(true)}>
            {t("remove")}
          </Button>
        </div>
      </div>
      {h.facts && (
        <dl className="mt-3 grid grid-cols-2 gap-x-6 gap-y-1 text-sm md:grid-cols-4">
          <dt className="text-slate-500">{t("os")}</dt>
          <dd>{h.facts.os}</dd>
          <dt className="text-slate-500">{t("kernel")}</dt>
          <dd>{h.facts.kernel}</dd>
          <dt className="text-slate-500">{t("cpuFact")}</dt>
          <dd>{t("cpuValue", { count: h.facts.cpuCount, model: h.facts.cpuModel })}</dd>
          <dt className="text-slate-500">{t("memoryFact")}</dt>
          <dd>{memoryText(h.facts.memoryBytes, f)}</dd>
          <dt className="text-slate-500">{t("versions")}</dt>
          <dd>
            {h.facts.libvirtVersion ?? "—"} / {h.facts.qemuVersion ?? "—"}
            {h.libvirtConnected === false && <span className="ml-1 text-red-600">{t("libvirtUnreachable")}</span>}
          </dd>
          <dt className="text-slate-500">{t("kvm")}</dt>
          <dd>{h.facts.kvm.usable ? t("kvmUsable") : t("kvmUnusable", { reason: h.facts.kvm.reason ?? "?" })}</dd>
          <dt className="text-slate-500">{t("machines")}</dt>
          <dd>{h.machineCount}</dd>
          <dt className="text-slate-500">{t("containers")}</dt>
          <dd>{h.engine ? t("containersValue", { count: h.containerCount, kind: h.engine.kind, version: h.engine.version }) : t("noEngine")}</dd>
          <dt className="text-slate-500">{t("agent")}</dt>
          <dd>{h.agentVersion || "—"}</dd>
        </dl>
      )}
      {renew.data && (
        <div className="mt-3">
          <CopyCommand command={renew.data.command} />
        </div>
      )}
      <ConfirmDialog
        open={confirm}
        title={t("removeTitle", { name: h.name })}
        confirmLabel={t("removeConfirm")}
        danger
        onCancel={() => setConfirm(false)}
        onConfirm={() => (setConfirm(false), remove.mutate(h.id))}
      >
        {t("removeText")}
      </ConfirmDialog>
    </li>
  );
}

export function HostsView() {
  const canManage = useCan("host.manage");
  const { data, isPending } = useHosts();
  const t = useTranslations("hosts.list");
  return (
    <div className="flex flex-col gap-4">
      {canManage && <AddHost />}
      {isPending ? (
        <p className="text-sm text-slate-500">{t("loading")}</p>
      ) : !data?.hosts.length ? (
        <EmptyState title={t("emptyTitle")}>{t("emptyText")}</EmptyState>
      ) : (
        <ul className="flex flex-col gap-3">
          {data.hosts.map((h) => (
            <HostCard key={h.id} h={h} />
          ))}
        </ul>
      )}
    </div>
  );
}
