// Every UI string, per language and namespace (one JSON file per area of the UI, the same
// file names under en/ and es/). English is the reference: its shape types `t()` keys
// (next-intl.d.ts), and each other language must have exactly its keys (checked at compile
// time below for missing keys, and by tests/i18n-messages.test.ts for extra keys and placeholders).
// Server-side only: the request config hands the browser the one catalogue it renders in.
import type { Locale } from "@/server/protocol/locales";
import enCommon from "./messages/en/common.json";
import enMachines from "./messages/en/machines.json";
import enConsole from "./messages/en/console.json";
import enMetrics from "./messages/en/metrics.json";
import enDashboard from "./messages/en/dashboard.json";
import enTasks from "./messages/en/tasks.json";
import enSettings from "./messages/en/settings.json";
import enAuth from "./messages/en/auth.json";
import enAudit from "./messages/en/audit.json";
import enPalette from "./messages/en/palette.json";
import enShell from "./messages/en/shell.json";
import enContainers from "./messages/en/containers.json";
import enStorage from "./messages/en/storage.json";
import enAlerts from "./messages/en/alerts.json";
import enNetworks from "./messages/en/networks.json";
import enHosts from "./messages/en/hosts.json";
import enBackups from "./messages/en/backups.json";
import esCommon from "./messages/es/common.json";
import esMachines from "./messages/es/machines.json";
import esConsole from "./messages/es/console.json";
import esMetrics from "./messages/es/metrics.json";
import esDashboard from "./messages/es/dashboard.json";
import esTasks from "./messages/es/tasks.json";
import esSettings from "./messages/es/settings.json";
import esAuth from "./messages/es/auth.json";
import esAudit from "./messages/es/audit.json";
import esPalette from "./messages/es/palette.json";
import esShell from "./messages/es/shell.json";
import esContainers from "./messages/es/containers.json";
import esStorage from "./messages/es/storage.json";
import esAlerts from "./messages/es/alerts.json";
import esNetworks from "./messages/es/networks.json";
import esHosts from "./messages/es/hosts.json";
import esBackups from "./messages/es/backups.json";

const en = {
  common: enCommon,
  machines: enMachines,
  console: enConsole,
  metrics: enMetrics,
  dashboard: enDashboard,
  tasks: enTasks,
  settings: enSettings,
  auth: enAuth,
  audit: enAudit,
  palette: enPalette,
  shell: enShell,
  containers: enContainers,
  storage: enStorage,
  alerts: enAlerts,
  networks: enNetworks,
  hosts: enHosts,
  backups: enBackups,
};

export type Messages = typeof en;

const es: Messages = {
  common: esCommon,
  machines: esMachines,
  console: esConsole,
  metrics: esMetrics,
  dashboard: esDashboard,
  tasks: esTasks,
  settings: esSettings,
  auth: esAuth,
  audit: esAudit,
  palette: esPalette,
  shell: esShell,
  containers: esContainers,
  storage: esStorage,
  alerts: esAlerts,
  networks: esNetworks,
  hosts: esHosts,
  backups: esBackups,
};

export const CATALOGUES: Record<Locale, Messages> = { en, es };
