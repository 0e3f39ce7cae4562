"use client";
import { useTranslations } from "next-intl";
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
import { EngineBadge, KUBEVIRT_TABS } from "./engine";
import { useFormat } from "../i18n/format";

// Consoles load noVNC / xterm.js: only when their tab is opened.
const VncConsole = dynamic(() => import("../console/vnc-console").then((m) => m.VncConsole), {
  ssr: false,
  loading: () => <ConsoleLoading />,
});
const SerialConsole = dynamic(() => import("../console/serial-console").then((m) => m.SerialConsole), {
  ssr: false,
  loading: () => <ConsoleLoading />,
});

function ConsoleLoading() {
  const t = useTranslations("machines.detail");
  return <p className="text-sm text-slate-500">{t("loadingConsole")}</p>;
}

export type Tab = "overview" | "settings" | "disks" | "network" | "snapshots" | "console" | "serial" | "devices" | "xml";
const TABS = ["overview", "settings", "disks", "network", "snapshots", "console", "serial", "devices", "xml"] as const;

export function MachineDetail({ hostId, uuid, initialTab }: { hostId: string; uuid: string; initialTab?: Tab | undefined }) {
  const { data, error, isPending } = useMachine(hostId, uuid);
  const runner = useRunAction();
  const autostart = useMachineAction();
  const [tab, setTab] = useState<Tab>(initialTab ?? "overview");
  const t = useTranslations("machines");
  const tc = useTranslations("common");
  const f = useFormat();
  // Rights on this VM: its host, its UUID and its tags (the row's, once loaded).
  const target = vmTarget(data?.machine ?? { uuid, hostId });
  const canPower = useCan("vm.power", target);
  const canDelete = useCan("vm.manage", target);
  const canConsole = useCan("vm.console", target);
  const canEdit = useCan("vm.edit", target);
  const canClone = useCan("vm.create", target);
  const canMigrate = useCan("vm.migrate", target);
  if (isPending) return <p className="text-sm text-slate-500">{tc("loading")}</p>;
  if (error || !data) return <EmptyState title={t("detail.notFound")}>{error?.message}</EmptyState>;
  const m = data.machine;
  const kubevirt = m.engine === "kubevirt";
  // A link to a libvirt-only tab (?tab=xml) opens the overview of a KubeVirt machine.
  const view: Tab = kubevirt && !KUBEVIRT_TABS.has(tab) ? "overview" : tab;
  return (
    <div className="flex flex-col gap-4">
      <Breadcrumb href="/machines" list={t("title")} here={m.hostName} />
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-semibold">{m.name}</h1>
        <StateBadge state={m.state} stale={m.stale} />
        <EngineBadge engine={m.engine} />
        {m.stale && <span className="text-sm text-amber-600">{t("detail.staleSince", { ago: ago(m.observedAt, f.locale, tc("never")) })}</span>}
        <div className="ml-auto flex gap-2">
          {!m.stale &&
            canPower &&
            actionsFor(m.state).map((a) => (
              <Button key={a.action} variant={a.confirm ? "danger" : "secondary"} onClick={() => runner.run(a, [m])}>
                {runner.label(a.action)}
              </Button>
            ))}
          {canMigrate && !kubevirt && <MigrateMachine m={m} />}
          {canClone && !kubevirt && <CloneMachine m={m} />}
          {canDelete && !kubevirt && <DeleteMachine m={m} />}
        </div>
      </div>
      <Tabs
        label={t("detail.sections")}
        tabs={TABS.filter((s) => (canConsole || (s !== "console" && s !== "serial")) && (!kubevirt || KUBEVIRT_TABS.has(s)))}
        value={view}
        onChange={setTab}
        labels={Object.fromEntries(TABS.map((s) => [s, t(`detail.tabs.${s}`)]))}
      />
      {kubevirt && (
        <p data-testid="kubevirt-note" className="max-w-3xl text-sm text-slate-500">
          {t("engine.notHere")}
        </p>
      )}
      {view === "overview" && (
        <>
          <dl className="grid max-w-2xl grid-cols-[10rem_1fr] gap-y-2 text-sm">
            <dt className="text-slate-500">{t("detail.uuid")}</dt>
            <dd className="font-mono">{m.uuid}</dd>
            <dt className="text-slate-500">{t("detail.vcpus")}</dt>
            <dd>{m.vcpus}</dd>
            <dt className="text-slate-500">{t("detail.memory")}</dt>
            <dd>{t("detail.memoryOfMax", { memory: formatMemory(m.memoryKiB, f.locale), max: formatMemory(m.maxMemoryKiB, f.locale) })}</dd>
            <dt className="text-slate-500">{t("detail.type")}</dt>
            <dd>
              {m.virtType} / {m.osType}
            </dd>
            <dt className="text-slate-500">{t("detail.tags")}</dt>
            <dd>
              <TagEditor kind="machines" hostId={hostId} id={uuid} tags={m.tags} editable={canEdit} />
            </dd>
            <dt className="text-slate-500">{t("detail.persistent")}</dt>
            <dd>{m.persistent ? tc("yes") : t("detail.transient")}</dd>
            <dt className="text-slate-500">{t("detail.autostart")}</dt>
            <dd>
              <label className="inline-flex items-center gap-2">
                <input
                  type="checkbox"
                  checked={m.autostart}
                  disabled={m.stale || !m.persistent || kubevirt || autostart.isPending || !canPower}
                  title={kubevirt ? t("detail.autostartKubevirtTitle") : undefined}
                  onChange={(e) => autostart.mutate({ hostId, uuid, action: "autostart", enabled: e.target.checked })}
                />
                {kubevirt ? t("detail.autostartKubevirt") : t("detail.autostartLabel")}
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
            <h2 className="mb-1 font-medium">{t("detail.disks")}</h2>
            {m.disks.length ? (
              <ul>
                {m.disks.map((d) => (
                  <li key={d.target}>
                    {d.target} ({d.device}
                    {d.bus ? `, ${d.bus}` : ""}) {d.source ?? t("detail.noMedia")}
                  </li>
                ))}
              </ul>
            ) : (
              <p className="text-slate-500">{t("detail.noDisks")}</p>
            )}
          </section>
          <section>
            <h2 className="mb-1 font-medium">{t("detail.nics")}</h2>
            {m.nics.length ? (
              <ul>
                {m.nics.map((n, i) => (
                  <li key={n.mac ?? i}>
                    {n.mac} {n.type} {n.source ?? ""} {n.model ?? ""}
                  </li>
                ))}
              </ul>
            ) : (
              <p className="text-slate-500">{t("detail.noNics")}</p>
            )}
          </section>
          <section>
            <h2 className="mb-1 font-medium">{t("detail.graphics")}</h2>
            {m.graphics.length ? (
              m.graphics.map((g, i) => (
                <p key={i}>
                  {g.type.toUpperCase()} {g.listen ?? ""}
                  {g.port && g.port > 0 ? `:${g.port}` : ""}
                </p>
              ))
            ) : (
              <p className="text-slate-500">{t("detail.noGraphics")}</p>
            )}
          </section>
          <section>
            <h2 className="mb-1 font-medium">{t("detail.serials")}</h2>
            {m.serials.length ? (
              m.serials.map((s, i) => (
                <p key={i}>
                  {s.type} {s.path ?? ""}
                </p>
              ))
            ) : (
              <p className="text-slate-500">{t("detail.noSerial")}</p>
            )}
          </section>
        </div>
      )}
      {(view === "settings" || view === "disks" || view === "network") && <EditTab m={m} tab={view} canEdit={canEdit} />}
      {view === "snapshots" && <SnapshotsTab m={m} canEdit={canEdit} />}
      {view === "xml" && <XmlTab m={m} xml={data.xml} canEdit={canEdit} />}
      <ConfirmDialog
        open={!!runner.pending}
        title={runner.pending ? t("confirmOne", { action: runner.label(runner.pending.spec.action), name: m.name }) : ""}
        confirmLabel={runner.pending ? runner.label(runner.pending.spec.action) : tc("actions.confirm")}
        danger
        onConfirm={runner.confirm}
        onCancel={runner.cancel}
      >
        {runner.pending && runner.warning(runner.pending.spec)}
      </ConfirmDialog>
    </div>
  );
}
