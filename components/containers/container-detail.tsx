"use client";
// One container: state and actions, details, live charts, logs, a shell, and the engine's
// full inspect output.
import { containerTarget, useCan } from "../lib/queries";
import { TagEditor } from "../ui/tag-editor";
import dynamic from "next/dynamic";
import { useState } from "react";
import { ApiClientError } from "../lib/api";
import { useContainer, useRenameContainer } from "../lib/container-resources";
import { Breadcrumb, Tabs } from "../ui/tabs";
import { Button, EmptyState } from "../ui/form";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { ago } from "../machines/state-badge";
import { MetricPanels } from "../metrics/metric-panels";
import { actionsForContainer, ContainerStateBadge } from "./container-state";
import { useContainerActions } from "./use-container-actions";
import { LogViewer } from "./log-viewer";

// xterm.js loads only when the terminal tab opens.
const ExecTerminal = dynamic(() => import("./exec-terminal").then((m) => m.ExecTerminal), {
  ssr: false,
  loading: () => <p className="text-sm text-slate-500">Loading terminal…</p>,
});

type Tab = "overview" | "logs" | "terminal" | "inspect";

function Rename({ hostId, id, name }: { hostId: string; id: string; name: string }) {
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState(name);
  const [error, setError] = useState<string | null>(null);
  const rename = useRenameContainer();
  if (!editing)
    return (
      <Button variant="secondary" onClick={() => (setValue(name), setEditing(true))}>
        Rename
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
        aria-label="New name"
        value={value}
        onChange={(e) => setValue(e.target.value)}
        autoFocus
        className="rounded border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-900"
      />
      <Button type="submit" disabled={rename.isPending}>
        Save
      </Button>
      <Button type="button" variant="secondary" onClick={() => setEditing(false)}>
        Cancel
      </Button>
      {error && <span className="text-sm text-red-600">{error}</span>}
    </form>
  );
}

export function ContainerDetail({ hostId, id }: { hostId: string; id: string }) {
  const { data, error, isPending } = useContainer(hostId, id);
  const runner = useContainerActions();
  const [tab, setTab] = useState<Tab>("overview");
  // Rights on this container: its host and its tags (the row's, once loaded).
  const canManage = useCan("container.manage", containerTarget(data?.container ?? { id, hostId }));
  if (isPending) return <p className="text-sm text-slate-500">Loading…</p>;
  if (error || !data) return <EmptyState title="Container not found">{error?.message ?? "It may have been removed."}</EmptyState>;
  const c = data.container;
  const info = data.inspect as {
    Config?: { Env?: string[]; Cmd?: string[] | null };
    HostConfig?: { RestartPolicy?: { Name?: string }; Memory?: number; NanoCpus?: number; Binds?: string[] | null };
  } | null;
  return (
    <div className="flex flex-col gap-4">
      <Breadcrumb href="/containers" list="Containers" here={c.hostName} />
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
                {a.label}
              </Button>
            ))}
        </div>
      </div>
      <Tabs
        label="Container sections"
        tabs={(["overview", "logs", "terminal", "inspect"] as const).filter((t) => canManage || t !== "terminal")}
        value={tab}
        onChange={setTab}
      />
      {tab === "overview" && (
        <>
          <dl className="grid max-w-3xl grid-cols-[10rem_1fr] gap-y-2 text-sm">
            <dt className="text-slate-500">Id</dt>
            <dd className="font-mono">{c.id}</dd>
            <dt className="text-slate-500">Image</dt>
            <dd>{c.image}</dd>
            <dt className="text-slate-500">Tags</dt>
            <dd>
              <TagEditor kind="containers" hostId={hostId} id={c.id} tags={c.tags} editable={canManage} />
            </dd>
            <dt className="text-slate-500">Command</dt>
            <dd className="font-mono">{c.command || "—"}</dd>
            <dt className="text-slate-500">Created</dt>
            <dd>{ago(c.createdAt)}</dd>
            <dt className="text-slate-500">Ports</dt>
            <dd className="font-mono">
              {c.ports
                .map((p) => (p.publicPort ? `${p.ip ?? "0.0.0.0"}:${p.publicPort} → ${p.privatePort}/${p.type}` : `${p.privatePort}/${p.type}`))
                .join(", ") || "—"}
            </dd>
            <dt className="text-slate-500">Restart policy</dt>
            <dd>{info?.HostConfig?.RestartPolicy?.Name || "no"}</dd>
            <dt className="text-slate-500">Limits</dt>
            <dd>
              {info?.HostConfig?.Memory ? `${Math.round(info.HostConfig.Memory / 1048576)} MiB` : "no memory limit"},{" "}
              {info?.HostConfig?.NanoCpus ? `${info.HostConfig.NanoCpus / 1e9} CPUs` : "no CPU limit"}
            </dd>
            <dt className="text-slate-500">Volumes</dt>
            <dd className="font-mono">{info?.HostConfig?.Binds?.join(", ") || "—"}</dd>
            <dt className="text-slate-500">Environment</dt>
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
          <p className="text-sm text-slate-500">Available while the host is online.</p>
        ))}
      <ConfirmDialog
        open={!!runner.pending}
        title={`${runner.pending?.spec.label ?? ""} ${c.name}?`}
        confirmLabel={runner.pending?.spec.label ?? "Confirm"}
        danger
        onConfirm={runner.confirm}
        onCancel={runner.cancel}
      >
        {runner.pending?.spec.confirm}
      </ConfirmDialog>
    </div>
  );
}
