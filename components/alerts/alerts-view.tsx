"use client";
// The alerts page: alerts (firing first), and for whoever manages alerts the rules,
// channels, silences and delivery log.
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useCan } from "../lib/queries";
import { Tabs } from "../ui/tabs";
import { AlertsTable } from "./alerts-table";
import { RulesPanel } from "./rules-panel";
import { ChannelsPanel } from "./channels-panel";
import { DeliveriesPanel, SilencesPanel } from "./alert-log";

const ALL = ["alerts", "rules", "silences", "channels", "deliveries"] as const;
type Tab = (typeof ALL)[number];

export function AlertsView() {
  const manage = useCan("alert.manage");
  const tabs = manage ? ALL : (["alerts", "rules"] as const);
  const [tab, setTab] = useState<Tab>("alerts");
  const t = useTranslations("alerts.view");
  return (
    <div className="flex flex-col gap-4">
      <Tabs
        label={t("sections")}
        tabs={tabs}
        labels={{
          alerts: t("tabs.alerts"),
          rules: t("tabs.rules"),
          silences: t("tabs.silences"),
          channels: t("tabs.channels"),
          deliveries: t("tabs.deliveries"),
        }}
        value={tab}
        onChange={setTab}
      />
      {tab === "alerts" && <AlertsTable />}
      {tab === "rules" && <RulesPanel />}
      {tab === "silences" && manage && <SilencesPanel />}
      {tab === "channels" && manage && <ChannelsPanel />}
      {tab === "deliveries" && manage && <DeliveriesPanel />}
    </div>
  );
}
