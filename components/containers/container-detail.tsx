"use client";
// One container: state and actions, details, live charts, logs, a shell, and the engine's
// full inspect output.
import { containerTarget, useCan } from "../lib/queries";
import { TagEditor } from "../ui/tag-editor";
import dynamic from "next/dynamic";
import { useTranslations } from "next-intl";
import { useFormat } from "../i18n/format";
import { useState } from "react";
import { ApiClientError } from "../lib/api";
import { useContainer, useRenameContainer } from "../lib/container-resources";
import { Breadcrumb, Tabs } from "../ui/tabs";
import { Button, EmptyState } from "../ui/form";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { MetricPanels } from "../metrics/metric-panels";
import { actionsForContainer, ContainerStateBadge } from "./container-state";
import { useContainerActions } from "./use-container-actions";
import { LogViewer } from "./log-viewer";

// xterm.js loads only when the terminal tab opens.
const ExecTerminal = dynamic(() => import("./exec-terminal").then((m) => m.ExecTerminal), {
  ssr: false,
  loading: function Loading() {
    const t = useTranslations("containers");
    return <p className="text-sm text-slate-500">{t("detail.loadingTerminal")}</p>;
  },
});

type Tab = "overview" | "logs" | "terminal" | "inspect";

function Rename({ hostId, id, name }: { hostId: string; id: string; name: string }) {
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState(name);
  const [error, setError] = useState<string | null>(null);
  const rename = useRenameContainer();
  const t = useTranslations("containers");
  const tc = useTranslations("common");
  if (!editing)
    return (
      <Button variant="secondary" onClick={() => (setValue(name), setEditing(true))}>
        {t("detail.rename")}
      </Button>
    );
  return (
    <form
      className="flex items-center gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        rename.mutate(
          { hostId, id, name: value },
          {
            onSuccess: () => setEditing(false),
            onError: (err) => setError(err instanceof ApiClientError ? (err.fields.name ?? err.message) : err.message),
          },
        );
      }}
    >
      <input
        aria-label={t("detail.newName")}
        value={value}
        onChange={(e) => setValue(e.target.value)}
        autoFocus
        className="rounded border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-900"
      />
      <Button type="submit" disabled={rename.isPending}>
        {tc("actions.save")}
      </Button>
      <Button type="button" variant="secondary" onClick={() => setEditing(false)}>
        {tc("actions.cancel")}
      </Button>
      {error && <span className="text-sm text-red-600">{error}</span>}
    </form>
  );
}

export function ContainerDetail({ hostId, id }: { hostId: string; id: string }) {
  const { data, error, isPending } = useContainer(hostId, id);
  const runner = useContainerActions();
  const [tab, setTab] = useState<Tab>("overview");
  const t = useTranslations("containers");
  const tActions = useTranslations("containers.actions");
  const tConfirm = useTranslations("containers.confirm");
  const tc = useTranslations("common");
  const f = useFormat();
  // Rights on this container: its host and its tags (the row's, once loaded).
  const canManage = useCan("container.manage", containerTarget(data?.container ?? { id, hostId }));
  if (isPending) return <p className="text-sm text-slate-500">{tc("loading")}</p>;
  if (error || !data) return <EmptyState title={t("detail.notFound")}>{error?.message ?? t("detail.maybeRemoved")}</EmptyState>;
  const c = data.container;
  const info = data.inspect as {
    Config?: { Env?: string[]; Cmd?: string[] | null };
    HostConfig?: { RestartPolicy?: { Name?: string }; Memory?: number; NanoCpus?: number; Binds?: string[] | null };
  } | null;
  return (
    <div className="flex flex-col gap-4">
      <Breadcrumb href="/containers" list={t("detail.list")} here={c.hostName} />
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-semibold">{c.name}</h1>
        <ContainerStateBadge state={c.state} stale={c.stale} health={c.health} />
        <span className="text-sm text-slate-500">{c.status}</span>
        <div className="ml-auto flex flex-wrap gap-2">
          {!c.stale && canManage && <Rename hostId={hostId} id={c.id} name={c.name} />}
          {!c.stale &&
            canManage &&
            actionsForContainer(c.state).map((a) => (
              <Button key={a.action} variant={a.confirm ? "danger" : "secondary"} onClick={() => runner.run(a, c)}>
                {tActions(a.action)}
              </Button>
            ))}
        </div>
      </div>
      <Tabs
        label={t("detail.sections")}
        tabs={(["overview", "logs", "terminal", "inspect"] as const).filter((s) => canManage || s !== "terminal")}
        labels={{
          overview: t("detail.tabs.overview"),
          logs: t("detail.tabs.logs"),
          terminal: t("detail.tabs.terminal"),
          inspect: t("detail.tabs.inspect"),
        }}
        value={tab}
        onChange={setTab}
      />
      {tab === "overview" && (
        <>
          <dl className="grid max-w-3xl grid-cols-[10rem_1fr] gap-y-2 text-sm">
            <dt className="text-slate-500">{t("detail.id")}</dt>
            <dd className="font-mono">{c.id}</dd>
            <dt className="text-slate-500">{t("detail.image")}</dt>
            <dd>{c.image}</dd>
            <dt className="text-slate-500">{t("detail.tags")}</dt>
            <dd>
              <TagEditor kind="containers" hostId={hostId} id={c.id} tags={c.tags} editable={canManage} />
            </dd>
            <dt className="text-slate-500">{t("detail.command")}</dt>
            <dd className="font-mono">{c.command || "—"}</dd>
            <dt className="text-slate-500">{t("detail.created")}</dt>
            <dd>{f.ago(c.createdAt)}</dd>
            <dt className="text-slate-500">{t("detail.ports")}</dt>
            <dd className="font-mono">
              {c.ports
                .map((p) => (p.publicPort ? `${p.ip ?? "0.0.0.0"}:${p.publicPort} → ${p.privatePort}/${p.type}` : `${p.privatePort}/${p.type}`))
                .join(", ") || "—"}
            </dd>
            <dt className="text-slate-500">{t("detail.restartPolicy")}</dt>
            <dd>{info?.HostConfig?.RestartPolicy?.Name || t("detail.restartNone")}</dd>
            <dt className="text-slate-500">{t("detail.limits")}</dt>
            <dd>
              {t("detail.limitsLine", {
                memory: info?.HostConfig?.Memory
                  ? t("detail.memoryLimit", { mib: f.number(Math.round(info.HostConfig.Memory / 1048576)) })
                  : t("detail.noMemoryLimit"),
                cpu: info?.HostConfig?.NanoCpus ? t("detail.cpuLimit", { cpus: info.HostConfig.NanoCpus / 1e9 }) : t("detail.noCpuLimit"),
              })}
            </dd>
            <dt className="text-slate-500">{t("detail.volumes")}</dt>
            <dd className="font-mono">{info?.HostConfig?.Binds?.join(", ") || "—"}</dd>
            <dt className="text-slate-500">{t("detail.environment")}</dt>
            <dd className="font-mono text-xs">{info?.Config?.Env?.map((e) => <div key={e}>{e}</div>) ?? "—"}</dd>
          </dl>
          <MetricPanels series={`ct/${hostId}/${c.id}`} kind="ct" />
        </>
      )}
      {tab === "logs" && <LogViewer hostId={hostId} id={c.id} name={c.name} />}
      {tab === "terminal" && <ExecTerminal hostId={hostId} id={c.id} running={!c.stale && c.state === "running"} />}
      {tab === "inspect" &&
        (data.inspect ? (
          <pre className="max-h-[70vh] overflow-auto rounded bg-slate-900 p-3 font-mono text-xs text-slate-100">
            {JSON.stringify(data.inspect, null, 2)}
          </pre>
        ) : (
          <p className="text-sm text-slate-500">{t("detail.inspectOffline")}</p>
        ))}
      <ConfirmDialog
        open={!!runner.pending}
        title={runner.pending ? t("confirm.title", { action: tActions(runner.pending.spec.action), name: c.name }) : ""}
        confirmLabel={runner.pending ? tActions(runner.pending.spec.action) : tc("actions.confirm")}
        danger
        onConfirm={runner.confirm}
        onCancel={runner.cancel}
      >
        {runner.pending?.spec.confirm && tConfirm(runner.pending.spec.confirm)}
      </ConfirmDialog>
    </div>
  );
}
