"use client";
// The edit tabs that need more than the row (ceilings, NIC links, volume sizes): one fetch
// of the machine's edit info, then the tab itself. Forms keep what was typed (and the
// "applied" badge) while the info refreshes after a change.
import { useTranslations } from "next-intl";
import type { MachineRow } from "@/server/protocol/browser-events";
import { SettingsTab } from "./settings-tab";
import { DisksTab } from "./disks-tab";
import { NetworkTab } from "./network-tab";
import { errorText, useEditInfo } from "./use-vm-edit";

export function EditTab({ m, tab, canEdit }: { m: MachineRow; tab: "settings" | "disks" | "network"; canEdit: boolean }) {
  const { data, error, isPending } = useEditInfo(m.hostId, m.uuid, !m.stale);
  const t = useTranslations("machines.edit");
  const tc = useTranslations("common");
  if (m.stale) return <p className="text-sm text-slate-500">{t("hostOffline")}</p>;
  if (isPending) return <p className="text-sm text-slate-500">{tc("loading")}</p>;
  if (error || !data)
    return (
      <p role="alert" className="text-sm text-red-600">
        {errorText(error)}
      </p>
    );
  if (tab === "settings") return <SettingsTab m={m} info={data} canEdit={canEdit} />;
  if (tab === "disks") return <DisksTab m={m} info={data} canEdit={canEdit} />;
  return <NetworkTab m={m} info={data} canEdit={canEdit} />;
}
