"use client";
import { useTranslations } from "next-intl";
import type { Applied } from "@/server/protocol/vm-edit";

// Texts: machines.applied.<key>.label / .title.
const STYLE: Record<Applied, { key: "now" | "live" | "nextBoot"; cls: string }> = {
  "live+config": { key: "now", cls: "bg-green-100 text-green-800 dark:bg-green-900 dark:text-green-100" },
  live: { key: "live", cls: "bg-sky-100 text-sky-800 dark:bg-sky-900 dark:text-sky-100" },
  "next-boot": { key: "nextBoot", cls: "bg-amber-100 text-amber-800 dark:bg-amber-900 dark:text-amber-100" },
};

/** Where a change took effect, after saving it. */
export function AppliedBadge({ applied }: { applied: Applied | null | undefined }) {
  const t = useTranslations("machines.applied");
  if (!applied) return null;
  const s = STYLE[applied];
  return (
    <span title={t(`${s.key}.title`)} data-applied={applied} className={`rounded px-2 py-0.5 text-xs font-medium ${s.cls}`}>
      {t(`${s.key}.label`)}
    </span>
  );
}

/** What a change will do, before saving it: live on a running machine, else at next start. */
export function WhenHint({ running, live }: { running: boolean; live: boolean }) {
  const t = useTranslations("machines.applied");
  return <span className="text-xs text-slate-500">{running ? (live ? t("hintLive") : t("hintNextBoot")) : t("hintOnStart")}</span>;
}
