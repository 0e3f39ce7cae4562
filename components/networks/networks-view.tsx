"use client";
// One host's virtual networks: the table, a define dialog for admins, start/stop/autostart,
// and undefine behind a confirmation that says what an active network's guests lose.
import { useTranslations } from "next-intl";
import { useState } from "react";
import type { NetworkActionSpec, NetworkSummary } from "@/server/protocol/network";
import { useCan } from "../lib/queries";
import { useHost } from "../lib/resources";
import { HostSections } from "../hosts/host-sections";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { Button, EmptyState } from "../ui/form";
import { Breadcrumb } from "../ui/tabs";
import { useToast } from "../ui/toasts";
import { DefineNetworkDialog } from "./define-network-dialog";
import { useNetworkMutations, useNetworks, type AttachedMachine } from "./network-resources";
import { NetworksTable } from "./networks-table";
import { useVmStateText } from "./vm-state";

// Stable empties: the dialog re-reads its defaults only when these really change.
const NONE: NetworkSummary[] = [];
const NONE_BRIDGES: string[] = [];
type Done = NetworkActionSpec["action"] | "undefine";

function Attached({ machines }: { machines: readonly AttachedMachine[] }) {
  const t = useTranslations("networks.view");
  const stateText = useVmStateText();
  if (!machines.length) return null;
  return (
    <span className="mt-2 block">
      {t("attached")}{" "}
      {machines.map((m, i) => (
        <span key={m.uuid}>
          {i ? ", " : ""}
          <span className="font-medium">{m.name}</span> {t("machineState", { state: stateText(m.state) })}
        </span>
      ))}
    </span>
  );
}

export function NetworksView({ hostId }: { hostId: string }) {
  const host = useHost(hostId);
  const networks = useNetworks(hostId);
  const canManage = useCan("network.manage");
  const { action, undefine } = useNetworkMutations(hostId);
  const toast = useToast();
  const [defining, setDefining] = useState(false);
  const [doomed, setDoomed] = useState<NetworkSummary | null>(null);
  const [stopping, setStopping] = useState<NetworkSummary | null>(null);
  const [busy, setBusy] = useState<ReadonlySet<string>>(new Set());
  const t = useTranslations("networks.view");
  const tDone = useTranslations("networks.view.done");

  const track = (name: string, p: Promise<{ task: { status: string; error: string | null } }>, done: Done) => {
    setBusy((s) => new Set(s).add(name));
    p.then(
      (r) =>
        r.task.status === "failed"
          ? toast(t("taskFailed", { name, error: r.task.error ?? t("failed") }), "error")
          : toast(r.task.status === "succeeded" ? tDone(done, { name }) : t("working", { name }), "success"),
      // A refusal is already toasted by the app-wide mutation error handler.
      () => undefined,
    ).finally(() =>
      setBusy((s) => {
        const next = new Set(s);
        next.delete(name);
        return next;
      }),
    );
  };

  const name = host.data?.host.name ?? hostId;
  const rows = networks.data?.networks ?? NONE;
  const bridges = networks.data?.bridges ?? NONE_BRIDGES;
  const attached = networks.data?.attached ?? {};
  const runningOn = (n: NetworkSummary | null) => (n ? (attached[n.name] ?? []).filter((m) => m.state === "running") : []);
  const runAction = (n: string, a: NetworkActionSpec, force = false) => track(n, action.mutateAsync({ name: n, action: a, force }), a.action);
  return (
    <div className="flex flex-col gap-4">
      <Breadcrumb href="/hosts" list={t("hosts")} here={name} />
      <h1 className="text-2xl font-semibold">{name}</h1>
      <HostSections hostId={hostId} />
      <div className="flex items-center justify-between gap-3">
        <h2 className="text-lg font-medium">{t("title")}</h2>
        {canManage && <Button onClick={() => setDefining(true)}>{t("define")}</Button>}
      </div>
      {networks.isPending ? (
        <p className="text-sm text-slate-500">{t("loading")}</p>
      ) : networks.error ? (
        <p role="alert" className="text-sm text-red-600">
          {t("loadFailed", { message: networks.error.message })}
        </p>
      ) : rows.length === 0 ? (
        <EmptyState title={t("emptyTitle")}>{canManage ? t("emptyManage") : t("emptyRead")}</EmptyState>
      ) : (
        <NetworksTable
          hostId={hostId}
          networks={rows}
          attached={attached}
          canManage={canManage}
          busy={busy}
          onAction={(n, a) => {
            // Stopping a network under running guests cuts their link: ask first, naming them.
            const net = rows.find((r) => r.name === n) ?? null;
            if (a.action === "stop" && runningOn(net).length) setStopping(net);
            else runAction(n, a);
          }}
          onUndefine={setDoomed}
        />
      )}
      {canManage && <DefineNetworkDialog hostId={hostId} open={defining} existing={rows} bridges={bridges} onClose={() => setDefining(false)} />}
      <ConfirmDialog
        open={doomed !== null}
        title={t("undefineTitle", { name: doomed?.name ?? "" })}
        confirmLabel={doomed?.active ? t("stopAndUndefine") : t("undefine")}
        danger
        onCancel={() => setDoomed(null)}
        onConfirm={() => {
          // Forced only when the dialog named running machines (the user agreed to cut them);
          // one started since is still refused by the server, naming it.
          if (doomed) track(doomed.name, undefine.mutateAsync({ name: doomed.name, force: runningOn(doomed).length > 0 }), "undefine");
          setDoomed(null);
        }}
      >
        {doomed?.active ? t("undefineActive") : ""}
        {t("undefineText")}
        <Attached machines={doomed ? (attached[doomed.name] ?? []) : []} />
      </ConfirmDialog>
      <ConfirmDialog
        open={stopping !== null}
        title={t("stopTitle", { name: stopping?.name ?? "" })}
        confirmLabel={t("stopConfirm")}
        danger
        onCancel={() => setStopping(null)}
        onConfirm={() => {
          if (stopping) runAction(stopping.name, { action: "stop" }, true);
          setStopping(null);
        }}
      >
        {t("stopText")}
        <Attached machines={runningOn(stopping)} />
      </ConfirmDialog>
    </div>
  );
}
