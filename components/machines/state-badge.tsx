import type { DomainState } from "@/server/protocol/domain";

const STYLE: Record<DomainState, string> = {
  running: "bg-green-100 text-green-900 dark:bg-green-900/40 dark:text-green-200",
  paused: "bg-amber-100 text-amber-900 dark:bg-amber-900/40 dark:text-amber-200",
  shutoff: "bg-slate-200 text-slate-800 dark:bg-slate-700 dark:text-slate-200",
  shutdown: "bg-slate-200 text-slate-800 dark:bg-slate-700 dark:text-slate-200",
  crashed: "bg-red-100 text-red-900 dark:bg-red-900/40 dark:text-red-200",
  pmsuspended: "bg-indigo-100 text-indigo-900 dark:bg-indigo-900/40 dark:text-indigo-200",
  blocked: "bg-orange-100 text-orange-900",
  nostate: "bg-slate-100 text-slate-700",
};

const LABEL: Record<DomainState, string> = {
  running: "Running",
  paused: "Paused",
  shutoff: "Shut off",
  shutdown: "Shutting down",
  crashed: "Crashed",
  pmsuspended: "Suspended",
  blocked: "Blocked",
  nostate: "No state",
};

export function StateBadge({ state, stale }: { state: DomainState; stale?: boolean }) {
  return (
    <span
      data-testid="state-badge"
      data-state={state}
      className={`inline-flex items-center rounded px-2 py-0.5 text-xs font-medium ${STYLE[state]} ${stale ? "opacity-50" : ""}`}
      title={stale ? "Last known state: host offline" : undefined}
    >
      {LABEL[state]}
      {stale && " ?"}
    </span>
  );
}

export function formatMemory(kib: number): string {
  if (kib >= 1024 * 1024) return `${(kib / 1024 / 1024).toFixed(1)} GiB`;
  return `${Math.round(kib / 1024)} MiB`;
}

export function ago(iso: string | null): string {
  if (!iso) return "never";
  const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86400) return `${Math.round(s / 3600)} h ago`;
  return new Date(iso).toLocaleString();
}
