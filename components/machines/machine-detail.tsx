"use client";
import { useCan, vmTarget } from "../lib/queries";
import { TagEditor } from "../ui/tag-editor";
import { useState } from "react";
import { useMachine, useMachineAction } from "../lib/resources";
import { Breadcrumb, Tabs } from "../ui/tabs";
import { Button, EmptyState } from "../ui/form";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { actionsFor } from "./actions";
import { ago, formatMemory, StateBadge } from "./state-badge";
import { useRunAction } from "./use-run-action";
import { DeleteMachine } from "./delete-machine";
import dynamic from "next/dynamic";
import { MetricPanels } from "../metrics/metric-panels";
import { EditTab } from "./edit/edit-tabs";
import { SnapshotsTab } from "./edit/snapshots-tab";
import { XmlTab } from "./edit/xml-tab";
import { CloneMachine } from "./edit/clone-machine";
import { MigrateMachine } from "./migrate-dialog";
import { EngineBadge, KUBEVIRT_NOT_HERE, KUBEVIRT_TABS } from "./engine";

// Consoles load noVNC / xterm.js: only when their tab is opened.
const VncConsole = dynamic(() => import("../console/vnc-console").then((m) => m.VncConsole), {
  ssr: false,
  loading: () => <p className="text-sm text-slate-500">Loading console…</p>,
});
const SerialConsole = dynamic(() => import("../console/serial-console").then((m) => m.SerialConsole), {
  ssr: false,
  loading: () => <p className="text-sm text-slate-500">Loading console…</p>,
});

export type Tab = "overview" | "settings" | "disks" | "network" | "snapshots" | "console" | "serial" | "devices" | "xml";
const TABS = ["overview", "settings", "disks", "network", "snapshots", "console", "serial", "devices", "xml"] as const;

export function MachineDetail({ hostId, uuid, initialTab }: { hostId: string; uuid: string; initialTab?: Tab | undefined }) {
  const { data, error, isPending } = useMachine(hostId, uuid);
  const runner = useRunAction();
  const autostart = useMachineAction();
  const [tab, setTab] = useState<Tab>(initialTab ?? "overview");
  // Rights on this VM: its host, its UUID and its tags (the row's, once loaded).
  const target = vmTarget(data?.machine ?? { uuid, hostId });
  const canPower = useCan("vm.power", target);
  const canDelete = useCan("vm.manage", target);
  const canConsole = useCan("vm.console", target);
  const canEdit = useCan("vm.edit", target);
  const canClone = useCan("vm.create", target);
  const canMigrate = useCan("vm.migrate", target);
  if (isPending) return <p className="text-sm text-slate-500">Loading…</p>;
  if (error || !data) return <EmptyState title="Machine not found">{error?.message}</EmptyState>;
  const m = data.machine;
  const kubevirt = m.engine === "kubevirt";
  // A link to a libvirt-only tab (?tab=xml) opens the overview of a KubeVirt machine.
  const view: Tab = kubevirt && !KUBEVIRT_TABS.has(tab) ? "overview" : tab;
  return (
    <div className="flex flex-col gap-4">
      <Breadcrumb href="/machines" list="Machines" here={m.hostName} />
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-semibold">{m.name}</h1>
        <StateBadge state={m.state} stale={m.stale} />
        <EngineBadge engine={m.engine} />
        {m.stale && <span className="text-sm text-amber-600">Host offline: last known state from {ago(m.observedAt)}</span>}
        <div className="ml-auto flex gap-2">
          {!m.stale &&
            canPower &&
            actionsFor(m.state).map((a) => (
              <Button key={a.action} variant={a.confirm ? "danger" : "secondary"} onClick={() => runner.run(a, [m])}>
                {a.label}
              </Button>
            ))}
          {canMigrate && !kubevirt && <MigrateMachine m={m} />}
          {canClone && !kubevirt && <CloneMachine m={m} />}
          {canDelete && !kubevirt && <DeleteMachine m={m} />}
        </div>
      </div>
      <Tabs
        label="Machine sections"
        tabs={TABS.filter((t) => (canConsole || (t !== "console" && t !== "serial")) && (!kubevirt || KUBEVIRT_TABS.has(t)))}
        value={view}
        onChange={setTab}
        labels={{ xml: "XML", serial: "Serial console" }}
      />
      {kubevirt && (
        <p data-testid="kubevirt-note" className="max-w-3xl text-sm text-slate-500">
          {KUBEVIRT_NOT_HERE}
        </p>
      )}
      {view === "overview" && (
        <>
          <dl className="grid max-w-2xl grid-cols-[10rem_1fr] gap-y-2 text-sm">
            <dt className="text-slate-500">UUID</dt>
            <dd className="font-mono">{m.uuid}</dd>
            <dt className="text-slate-500">vCPUs</dt>
            <dd>{m.vcpus}</dd>
            <dt className="text-slate-500">Memory</dt>
            <dd>
              {formatMemory(m.memoryKiB)} (max {formatMemory(m.maxMemoryKiB)})
            </dd>
            <dt className="text-slate-500">Type</dt>
            <dd>
              {m.virtType} / {m.osType}
            </dd>
            <dt className="text-slate-500">Tags</dt>
            <dd>
              <TagEditor kind="machines" hostId={hostId} id={uuid} tags={m.tags} editable={canEdit} />
            </dd>
            <dt className="text-slate-500">Persistent</dt>
            <dd>{m.persistent ? "yes" : "no (transient)"}</dd>
            <dt className="text-slate-500">Autostart</dt>
            <dd>
              <label className="inline-flex items-center gap-2">
                <input
                  type="checkbox"
                  checked={m.autostart}
                  disabled={m.stale || !m.persistent || kubevirt || autostart.isPending || !canPower}
                  title={kubevirt ? "Set by the VM's runStrategy in the cluster" : undefined}
                  onChange={(e) => autostart.mutate({ hostId, uuid, action: "autostart", enabled: e.target.checked })}
                />
                {kubevirt ? "kept running by the cluster (runStrategy)" : "start with the host"}
              </label>
            </dd>
          </dl>
          <MetricPanels series={`vm/${hostId}/${uuid}`} kind="vm" vcpus={m.vcpus} />
        </>
      )}
      {view === "console" && (
        <VncConsole
          hostId={hostId}
          uuid={uuid}
          machineName={m.name}
          running={!m.stale && (m.state === "running" || m.state === "paused")}
          hasGraphics={m.graphics.some((g) => g.type === "vnc")}
        />
      )}
      {view === "serial" && (
        <SerialConsole
          hostId={hostId}
          uuid={uuid}
          running={!m.stale && (m.state === "running" || m.state === "paused")}
          hasSerial={m.serials.length > 0}
        />
      )}
      {view === "devices" && (
        <div className="grid gap-4 text-sm md:grid-cols-2">
          <section>
            <h2 className="mb-1 font-medium">Disks</h2>
            {m.disks.length ? (
              <ul>
                {m.disks.map((d) => (
                  <li key={d.target}>
                    {d.target} ({d.device}
                    {d.bus ? `, ${d.bus}` : ""}) {d.source ?? "no media"}
                  </li>
                ))}
              </ul>
            ) : (
              <p className="text-slate-500">No disks (direct kernel boot or diskless).</p>
            )}
          </section>
          <section>
            <h2 className="mb-1 font-medium">Network interfaces</h2>
            {m.nics.length ? (
              <ul>
                {m.nics.map((n, i) => (
                  <li key={n.mac ?? i}>
                    {n.mac} {n.type} {n.source ?? ""} {n.model ?? ""}
                  </li>
                ))}
              </ul>
            ) : (
              <p className="text-slate-500">No network interfaces.</p>
            )}
          </section>
          <section>
            <h2 className="mb-1 font-medium">Graphics</h2>
            {m.graphics.length ? (
              m.graphics.map((g, i) => (
                <p key={i}>
                  {g.type.toUpperCase()} {g.listen ?? ""}
                  {g.port && g.port > 0 ? `:${g.port}` : ""}
                </p>
              ))
            ) : (
              <p className="text-slate-500">No graphics device.</p>
            )}
          </section>
          <section>
            <h2 className="mb-1 font-medium">Serial consoles</h2>
            {m.serials.length ? (
              m.serials.map((s, i) => (
                <p key={i}>
                  {s.type} {s.path ?? ""}
                </p>
              ))
            ) : (
              <p className="text-slate-500">No serial console.</p>
            )}
          </section>
        </div>
      )}
      {(view === "settings" || view === "disks" || view === "network") && <EditTab m={m} tab={view} canEdit={canEdit} />}
      {view === "snapshots" && <SnapshotsTab m={m} canEdit={canEdit} />}
      {view === "xml" && <XmlTab m={m} xml={data.xml} canEdit={canEdit} />}
      <ConfirmDialog
        open={!!runner.pending}
        title={`${runner.pending?.spec.label ?? ""} ${m.name}?`}
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
