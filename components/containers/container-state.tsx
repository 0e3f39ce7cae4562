"use client";
import { useTranslations } from "next-intl";
import type { ContainerState } from "@/server/protocol/container";
import type { ContainerAction } from "@/server/protocol/container";

const STYLE: Record<ContainerState, string> = {
  running: "bg-green-100 text-green-900 dark:bg-green-900/40 dark:text-green-200",
  paused: "bg-amber-100 text-amber-900 dark:bg-amber-900/40 dark:text-amber-200",
  restarting: "bg-sky-100 text-sky-900 dark:bg-sky-900/40 dark:text-sky-200",
  created: "bg-slate-100 text-slate-800 dark:bg-slate-800 dark:text-slate-200",
  exited: "bg-slate-200 text-slate-800 dark:bg-slate-700 dark:text-slate-200",
  removing: "bg-slate-200 text-slate-800",
  dead: "bg-red-100 text-red-900 dark:bg-red-900/40 dark:text-red-200",
  unknown: "bg-slate-100 text-slate-700",
};

const HEALTH = ["healthy", "unhealthy", "starting"] as const;
const isKnownHealth = (h: string): h is (typeof HEALTH)[number] => (HEALTH as readonly string[]).includes(h);

export function ContainerStateBadge({ state, stale, health }: { state: ContainerState; stale?: boolean; health?: string | null }) {
  const t = useTranslations("containers");
  const tState = useTranslations("containers.state");
  const tHealth = useTranslations("containers.health");
  return (
    <span
      data-testid="container-state"
      data-state={state}
      className={`inline-flex items-center gap-1 rounded px-2 py-0.5 text-xs font-medium capitalize ${STYLE[state]} ${stale ? "opacity-50" : ""}`}
      title={stale ? t("state.staleTitle") : undefined}
    >
      {tState(state)}
      {health && (
        <span className={health === "healthy" ? "text-green-700" : health === "unhealthy" ? "text-red-700" : ""}>
          ({isKnownHealth(health) ? tHealth(health) : health})
        </span>
      )}
      {stale && " ?"}
    </span>
  );
}

export interface ContainerActionSpec {
  action: ContainerAction;
  when: ContainerState[];
  /** Destructive actions ask first; the text (containers.confirm.<key>) says what happens. */
  confirm?: "stop" | "restart" | "kill" | "remove";
}

export const CONTAINER_ACTION_SPECS: ContainerActionSpec[] = [
  { action: "start", when: ["created", "exited", "dead"] },
  { action: "stop", when: ["running", "restarting"], confirm: "stop" },
  { action: "restart", when: ["running", "exited", "created"], confirm: "restart" },
  { action: "pause", when: ["running"] },
  { action: "unpause", when: ["paused"] },
  { action: "kill", when: ["running", "paused", "restarting"], confirm: "kill" },
  { action: "remove", when: ["created", "exited", "dead", "running", "paused", "restarting", "unknown"], confirm: "remove" },
];

export const actionsForContainer = (state: ContainerState) => CONTAINER_ACTION_SPECS.filter((a) => a.when.includes(state));
