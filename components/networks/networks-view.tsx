"use client";
// One host's virtual networks: the table, a define dialog for admins, start/stop/autostart,
// and undefine behind a confirmation that says what an active network's guests lose.
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

// Stable empties: the dialog re-reads its defaults only when these really change.
const NONE: NetworkSummary[] = [];
const NONE_BRIDGES: string[] = [];
const VERB: Record<NetworkActionSpec["action"], string> = { start: "Started", stop: "Stopped", autostart: "Autostart set for" };

function Attached({ machines }: { machines: readonly AttachedMachine[] }) {
  if (!machines.length) return null;
  return (
    <span className="mt-2 block">
      Machines with a NIC on it:{" "}
      {machines.map((m, i) => (
        <span key={m.uuid}>
          {i ? ", " : ""}
          <span className="font-medium">{m.name}</span> ({m.state})
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

  const track = (name: string, p: Promise<{ task: { status: string; error: string | null } }>, done: string) => {
    setBusy((s) => new Set(s).add(name));
    p.then(
      (r) =>
        r.task.status === "failed"
          ? toast(`${name}: ${r.task.error ?? "failed"}`, "error")
          : toast(r.task.status === "succeeded" ? `${done} ${name}` : `${name}: working… (see Tasks)`, "success"),
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
  const runAction = (n: string, a: NetworkActionSpec, force = false) => track(n, action.mutateAsync({ name: n, action: a, force }), VERB[a.action]);
  return (
    <div className="flex flex-col gap-4">
      <Breadcrumb href="/hosts" list="Hosts" here={name} />
      <h1 className="text-2xl font-semibold">{name}</h1>
      <HostSections hostId={hostId} />
      <div className="flex items-center justify-between gap-3">
        <h2 className="text-lg font-medium">Virtual networks</h2>
        {canManage && <Button onClick={() => setDefining(true)}>Define network</Button>}
      </div>
      {networks.isPending ? (
        <p className="text-sm text-slate-500">Loading networks…</p>
      ) : networks.error ? (
        <p role="alert" className="text-sm text-red-600">
          Could not read the host&apos;s networks: {networks.error.message}
        </p>
      ) : rows.length === 0 ? (
        <EmptyState title="No virtual networks">
          {canManage
            ? "Define a NAT or isolated network for guests, or one that joins an existing host bridge."
            : "An admin can define networks here."}
        </EmptyState>
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
        title={`Undefine ${doomed?.name ?? ""}?`}
        confirmLabel={doomed?.active ? "Stop and undefine" : "Undefine"}
        danger
        onCancel={() => setDoomed(null)}
        onConfirm={() => {
          // Forced only when the dialog named running machines (the user agreed to cut them);
          // one started since is still refused by the server, naming it.
          if (doomed) track(doomed.name, undefine.mutateAsync({ name: doomed.name, force: runningOn(doomed).length > 0 }), "Undefined");
          setDoomed(null);
        }}
      >
        {doomed?.active
          ? "The network is active: it is stopped first, and guests attached to it lose their link until they are moved to another network. "
          : ""}
        Its definition is removed from the host; this cannot be undone.
        <Attached machines={doomed ? (attached[doomed.name] ?? []) : []} />
      </ConfirmDialog>
      <ConfirmDialog
        open={stopping !== null}
        title={`Stop ${stopping?.name ?? ""}?`}
        confirmLabel="Stop network"
        danger
        onCancel={() => setStopping(null)}
        onConfirm={() => {
          if (stopping) runAction(stopping.name, { action: "stop" }, true);
          setStopping(null);
        }}
      >
        Running machines on this network lose their link until it is started again.
        <Attached machines={runningOn(stopping)} />
      </ConfirmDialog>
    </div>
  );
}
