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

export function ContainerStateBadge({ state, stale, health }: { state: ContainerState; stale?: boolean; health?: string | null }) {
  return (
    <span
      data-testid="container-state"
      data-state={state}
      className={`inline-flex items-center gap-1 rounded px-2 py-0.5 text-xs font-medium capitalize ${STYLE[state]} ${stale ? "opacity-50" : ""}`}
      title={stale ? "Last known state: host offline" : undefined}
    >
      {state}
      {health && <span className={health === "healthy" ? "text-green-700" : health === "unhealthy" ? "text-red-700" : ""}>({health})</span>}
      {stale && " ?"}
    </span>
  );
}

export interface ContainerActionSpec {
  action: ContainerAction;
  label: string;
  when: ContainerState[];
  /** Destructive actions ask first; the text says what happens. */
  confirm?: string;
}

export const CONTAINER_ACTION_SPECS: ContainerActionSpec[] = [
  { action: "start", label: "Start", when: ["created", "exited", "dead"] },
  { action: "stop", label: "Stop", when: ["running", "restarting"], confirm: "The main process gets SIGTERM, then SIGKILL after 10 s." },
  {
    action: "restart",
    label: "Restart",
    when: ["running", "exited", "created"],
    confirm: "The container is stopped (SIGTERM, then SIGKILL after 10 s) and started again.",
  },
  { action: "pause", label: "Pause", when: ["running"] },
  { action: "unpause", label: "Resume", when: ["paused"] },
  {
    action: "kill",
    label: "Kill",
    when: ["running", "paused", "restarting"],
    confirm: "The main process gets SIGKILL at once: unsaved work inside is lost.",
  },
  {
    action: "remove",
    label: "Remove",
    when: ["created", "exited", "dead", "running", "paused", "restarting", "unknown"],
    confirm: "The container and its writable layer are deleted (running ones are stopped first). Named volumes are kept.",
  },
];

export const actionsForContainer = (state: ContainerState) => CONTAINER_ACTION_SPECS.filter((a) => a.when.includes(state));
