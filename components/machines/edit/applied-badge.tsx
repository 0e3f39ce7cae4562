"use client";
import type { Applied } from "@/server/protocol/vm-edit";

const TEXT: Record<Applied, { label: string; title: string; cls: string }> = {
  "live+config": {
    label: "Applied now",
    title: "Changed in the running machine and in its definition",
    cls: "bg-green-100 text-green-800 dark:bg-green-900 dark:text-green-100",
  },
  live: {
    label: "Running machine only",
    title: "Changed in the running machine; the definition is unchanged",
    cls: "bg-sky-100 text-sky-800 dark:bg-sky-900 dark:text-sky-100",
  },
  "next-boot": {
    label: "Next boot",
    title: "Written to the definition: takes effect when the machine next starts",
    cls: "bg-amber-100 text-amber-800 dark:bg-amber-900 dark:text-amber-100",
  },
};

/** Where a change took effect, after saving it. */
export function AppliedBadge({ applied }: { applied: Applied | null | undefined }) {
  if (!applied) return null;
  const t = TEXT[applied];
  return (
    <span title={t.title} data-applied={applied} className={`rounded px-2 py-0.5 text-xs font-medium ${t.cls}`}>
      {t.label}
    </span>
  );
}

/** What a change will do, before saving it: live on a running machine, else at next start. */
export function WhenHint({ running, live }: { running: boolean; live: boolean }) {
  return (
    <span className="text-xs text-slate-500">
      {running ? (live ? "applies live and to the definition" : "applies at the next boot") : "applies when the machine starts"}
    </span>
  );
}
