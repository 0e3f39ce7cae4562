"use client";
// Says which hosts cannot vouch for their machines right now: the agent is offline, or it
// is online but cannot reach libvirt (degraded). Their rows show the last known state
// until the agent reports again; hosts refetch on every host.changed event.
import { useTranslations } from "next-intl";
import { useHosts } from "../lib/resources";

export function HostHealthBanner() {
  const hosts = useHosts().data?.hosts ?? [];
  const t = useTranslations("machines.health");
  const troubled = hosts.filter((h) => h.status === "offline" || (h.status === "online" && h.libvirtConnected === false));
  if (!troubled.length) return null;
  return (
    <ul
      role="status"
      className="mb-3 space-y-1 rounded border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-200"
    >
      {troubled.map((h) => (
        <li key={h.id} data-testid="host-degraded" data-host={h.name} data-reason={h.status === "offline" ? "offline" : "libvirt"}>
          {h.status === "offline" ? t("offline", { name: h.name }) : t("degraded", { name: h.name })}
        </li>
      ))}
    </ul>
  );
}
