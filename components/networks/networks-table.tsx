"use client";
// One row per network: state, mode, subnet, DHCP range, autostart, the actions the role
// may take, and an expandable list of the DHCP leases dnsmasq handed out.
import { useTranslations } from "next-intl";
import { Fragment, useState } from "react";
import { useFormat } from "../i18n/format";
import { NetworkName, type NetworkActionSpec, type NetworkSummary } from "@/server/protocol/network";
import { Button } from "../ui/form";
import { useNetworkLeases, type AttachedMachine } from "./network-resources";
import { useVmStateText } from "./vm-state";

function subnetOf(n: NetworkSummary): string {
  return n.ipv4 ? `${n.ipv4.address}/${n.ipv4.prefix}` : "—";
}

function Leases({ hostId, name, active }: { hostId: string; name: string; active: boolean }) {
  const q = useNetworkLeases(hostId, name, true);
  const t = useTranslations("networks.leases");
  const f = useFormat();
  if (q.isPending) return <p className="text-sm text-slate-500">{t("loading")}</p>;
  if (q.error) return <p className="text-sm text-red-600">{q.error.message}</p>;
  if (!q.data.leases.length) return <p className="text-sm text-slate-500">{active ? t("noneActive") : t("noneStopped")}</p>;
  return (
    <table className="w-full text-left text-xs" aria-label={t("label", { name })}>
      <thead className="text-slate-500">
        <tr>
          <th className="px-2 py-1 font-medium">{t("mac")}</th>
          <th className="px-2 py-1 font-medium">{t("address")}</th>
          <th className="px-2 py-1 font-medium">{t("hostname")}</th>
          <th className="px-2 py-1 font-medium">{t("expires")}</th>
        </tr>
      </thead>
      <tbody>
        {q.data.leases.map((l) => (
          <tr key={`${l.mac ?? ""}-${l.ip}`}>
            <td className="px-2 py-1 font-mono">{l.mac ?? "—"}</td>
            <td className="px-2 py-1 font-mono">
              {l.ip}/{l.prefix}
            </td>
            <td className="px-2 py-1">{l.hostname ?? <span className="text-slate-500">{t("unknown")}</span>}</td>
            <td className="px-2 py-1">{l.expiresAt ? f.date(l.expiresAt) : t("never")}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function MachineList({ machines }: { machines: readonly AttachedMachine[] }) {
  const t = useTranslations("networks.table");
  const stateText = useVmStateText();
  if (!machines.length) return <span className="text-slate-500">{t("none")}</span>;
  const running = machines.filter((m) => m.state === "running").length;
  return (
    <span title={machines.map((m) => `${m.name} (${stateText(m.state)})`).join("\n")}>
      {machines.length}
      {running ? <span className="text-slate-500">{t("running", { count: running })}</span> : null}
    </span>
  );
}

export function NetworksTable({
  hostId,
  networks,
  attached,
  canManage,
  busy,
  onAction,
  onUndefine,
}: {
  hostId: string;
  networks: readonly NetworkSummary[];
  /** Machines with a NIC on each network, by network name. */
  attached: Readonly<Record<string, readonly AttachedMachine[]>>;
  canManage: boolean;
  /** Names with a change in flight (their buttons are disabled). */
  busy: ReadonlySet<string>;
  onAction: (name: string, action: NetworkActionSpec) => void;
  onUndefine: (n: NetworkSummary) => void;
}) {
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const t = useTranslations("networks.table");
  const tMode = useTranslations("networks.mode");
  const toggle = (name: string) =>
    setOpen((s) => {
      const next = new Set(s);
      if (!next.delete(name)) next.add(name);
      return next;
    });
  return (
    <table
      className="w-full rounded-lg border border-slate-200 bg-white text-left text-sm dark:border-slate-800 dark:bg-slate-900"
      aria-label={t("label")}
    >
      <thead className="text-slate-500">
        <tr>
          <th className="px-3 py-2 font-medium">{t("name")}</th>
          <th className="px-3 py-2 font-medium">{t("state")}</th>
          <th className="px-3 py-2 font-medium">{t("mode")}</th>
          <th className="px-3 py-2 font-medium">{t("bridge")}</th>
          <th className="px-3 py-2 font-medium">{t("subnet")}</th>
          <th className="px-3 py-2 font-medium">{t("dhcpRange")}</th>
          <th className="px-3 py-2 font-medium">{t("machines")}</th>
          <th className="px-3 py-2 font-medium">{t("autostart")}</th>
          <th className="px-3 py-2 font-medium">
            <span className="sr-only">{t("actions")}</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {networks.map((n) => {
          const expanded = open.has(n.name);
          const isBusy = busy.has(n.name);
          // A network defined elsewhere with a name Hangar's URLs cannot carry (spaces, '/') is shown, not changed.
          const manageable = canManage && NetworkName.safeParse(n.name).success;
          return (
            <Fragment key={n.uuid}>
              <tr className="border-t border-slate-100 dark:border-slate-800" data-testid="network-row" data-network={n.name}>
                <td className="px-3 py-2">
                  <button
                    type="button"
                    onClick={() => toggle(n.name)}
                    aria-expanded={expanded}
                    aria-controls={`leases-${n.uuid}`}
                    className="flex items-center gap-1 font-medium hover:underline"
                    title={t("showLeases")}
                  >
                    <span aria-hidden>{expanded ? "▾" : "▸"}</span>
                    {n.name}
                  </button>
                  {!n.persistent && <span className="ml-5 text-xs text-slate-500">{t("transient")}</span>}
                </td>
                <td className="px-3 py-2" data-testid="network-state">
                  <span className={n.active ? "text-green-700 dark:text-green-400" : "text-slate-500"}>{n.active ? t("active") : t("inactive")}</span>
                </td>
                <td className="px-3 py-2">{tMode(n.mode)}</td>
                <td className="px-3 py-2 font-mono text-xs">{n.bridge ?? "—"}</td>
                <td className="px-3 py-2 font-mono text-xs">{subnetOf(n)}</td>
                <td className="px-3 py-2 font-mono text-xs">{n.dhcp ? `${n.dhcp.start} – ${n.dhcp.end}` : "—"}</td>
                <td className="px-3 py-2" data-testid="network-machines">
                  <MachineList machines={attached[n.name] ?? []} />
                </td>
                <td className="px-3 py-2">
                  {manageable && n.persistent ? (
                    <label className="flex items-center gap-1">
                      <input
                        type="checkbox"
                        checked={n.autostart}
                        disabled={isBusy}
                        onChange={(e) => onAction(n.name, { action: "autostart", enabled: e.target.checked })}
                        aria-label={t("autostartLabel", { name: n.name })}
                      />
                      {n.autostart ? t("on") : t("off")}
                    </label>
                  ) : n.autostart ? (
                    t("on")
                  ) : (
                    t("off")
                  )}
                </td>
                <td className="px-3 py-2 text-right whitespace-nowrap">
                  {canManage && !manageable && <span className="text-xs text-slate-500">{t("unsupported")}</span>}
                  {manageable && (
                    <div className="flex justify-end gap-2">
                      {n.active ? (
                        <Button
                          variant="secondary"
                          disabled={isBusy}
                          onClick={() => onAction(n.name, { action: "stop" })}
                          aria-label={t("stopLabel", { name: n.name })}
                        >
                          {t("stop")}
                        </Button>
                      ) : (
                        <Button
                          variant="secondary"
                          disabled={isBusy}
                          onClick={() => onAction(n.name, { action: "start" })}
                          aria-label={t("startLabel", { name: n.name })}
                        >
                          {t("start")}
                        </Button>
                      )}
                      <Button variant="danger" disabled={isBusy} onClick={() => onUndefine(n)} aria-label={t("undefineLabel", { name: n.name })}>
                        {t("undefine")}
                      </Button>
                    </div>
                  )}
                </td>
              </tr>
              {expanded && (
                <tr id={`leases-${n.uuid}`} className="bg-slate-50 dark:bg-slate-950">
                  <td colSpan={9} className="px-6 py-2">
                    <Leases hostId={hostId} name={n.name} active={n.active} />
                  </td>
                </tr>
              )}
            </Fragment>
          );
        })}
      </tbody>
    </table>
  );
}
