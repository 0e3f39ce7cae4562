"use client";
import { useState, type FormEvent } from "react";
import { useCan } from "../lib/queries";
import type { HostRow } from "@/server/protocol/browser-events";
import { ApiClientError } from "../lib/api";
import { useAddHost, useHosts, useRemoveHost, useRenewEnrollment } from "../lib/resources";
import { Button, EmptyState, Field } from "../ui/form";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { ago, formatMemory } from "../machines/state-badge";
import Link from "next/link";
import { Sparkline } from "../metrics/sparkline";
import { HOST_METRICS } from "@/server/protocol/metric-names";

function CopyCommand({ command }: { command: string }) {
  const [copied, setCopied] = useState(false);
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
          {copied ? "Copied" : "Copy command"}
        </Button>
      </div>
      <p className="text-xs text-slate-500">Run it as root on the new host (Node.js 20+). The token inside works once, for one hour.</p>
    </div>
  );
}

function AddHost() {
  const add = useAddHost();
  const [fieldError, setFieldError] = useState<string | undefined>();
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const name = String(new FormData(e.currentTarget).get("name") ?? "");
    setFieldError(undefined);
    add.mutate(name, { onError: (err) => setFieldError(err instanceof ApiClientError ? (err.fields.name ?? err.message) : "Failed") });
  };
  return (
    <section aria-labelledby="add-host-h" className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
      <h2 id="add-host-h" className="mb-3 font-medium">
        Add a host
      </h2>
      {add.data ? (
        <div className="flex flex-col gap-2">
          <p className="text-sm">
            Host <strong>{add.data.host.name}</strong> is waiting for its agent. Run this on it:
          </p>
          <CopyCommand command={add.data.command} />
          <div>
            <Button variant="secondary" onClick={() => add.reset()}>
              Add another
            </Button>
          </div>
        </div>
      ) : (
        <form onSubmit={submit} className="flex items-end gap-2" noValidate>
          <div className="w-72">
            <Field label="Host name" name="name" placeholder="e.g. rack1-node3" required error={fieldError} />
          </div>
          <Button type="submit" disabled={add.isPending}>
            Add host
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
            {h.status === "online" ? "online" : h.status === "pending" ? "waiting for agent" : `offline, last seen ${ago(h.lastSeenAt)}`}
          </span>
        </div>
        {h.status === "online" && (
          <div className="flex items-center gap-4 text-xs text-slate-500">
            <span className="flex items-center gap-1">
              CPU <Sparkline series={`host/${h.id}`} index={0} unit="percent" max={100} label={`CPU of ${h.name}`} />
            </span>
            <span className="flex items-center gap-1">
              Memory{" "}
              <Sparkline
                series={`host/${h.id}`}
                index={HOST_METRICS.indexOf("mem.used")}
                unit="bytes"
                max={h.facts?.memoryBytes}
                label={`Memory used on ${h.name}`}
              />
            </span>
          </div>
        )}
        <div className={`flex gap-2 ${canManage ? "" : "hidden"}`}>
          <Button variant="secondary" onClick={() => renew.mutate(h.id)}>
            New enrollment command
          </Button>
          <Button variant="danger" onClick={() => setConfirm(true)}>
            Remove
          </Button>
        </div>
      </div>
      {h.facts && (
        <dl className="mt-3 grid grid-cols-2 gap-x-6 gap-y-1 text-sm md:grid-cols-4">
          <dt className="text-slate-500">OS</dt>
          <dd>{h.facts.os}</dd>
          <dt className="text-slate-500">Kernel</dt>
          <dd>{h.facts.kernel}</dd>
          <dt className="text-slate-500">CPU</dt>
          <dd>
            {h.facts.cpuCount} × {h.facts.cpuModel}
          </dd>
          <dt className="text-slate-500">Memory</dt>
          <dd>{formatMemory(h.facts.memoryBytes / 1024)}</dd>
          <dt className="text-slate-500">libvirt / QEMU</dt>
          <dd>
            {h.facts.libvirtVersion ?? "—"} / {h.facts.qemuVersion ?? "—"}
            {h.libvirtConnected === false && <span className="ml-1 text-red-600">(libvirt unreachable)</span>}
          </dd>
          <dt className="text-slate-500">KVM</dt>
          <dd>{h.facts.kvm.usable ? "usable" : `not usable (${h.facts.kvm.reason ?? "?"}): software emulation`}</dd>
          <dt className="text-slate-500">Machines</dt>
          <dd>{h.machineCount}</dd>
          <dt className="text-slate-500">Containers</dt>
          <dd>{h.engine ? `${h.containerCount} on ${h.engine.kind} ${h.engine.version}` : "no engine found"}</dd>
          <dt className="text-slate-500">Agent</dt>
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
        title={`Remove host ${h.name}?`}
        confirmLabel="Remove host"
        danger
        onCancel={() => setConfirm(false)}
        onConfirm={() => (setConfirm(false), remove.mutate(h.id))}
      >
        Its agent is disconnected and its credential revoked. Its VMs keep running; they just leave Hangar.
      </ConfirmDialog>
    </li>
  );
}

export function HostsView() {
  const canManage = useCan("host.manage");
  const { data, isPending } = useHosts();
  return (
    <div className="flex flex-col gap-4">
      {canManage && <AddHost />}
      {isPending ? (
        <p className="text-sm text-slate-500">Loading hosts…</p>
      ) : !data?.hosts.length ? (
        <EmptyState title="No hosts yet">Add a host above and run the command it shows on that machine.</EmptyState>
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
