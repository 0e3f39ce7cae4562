"use client";
// The header's firing count: live, since every alert.upsert event refetches the alerts lists.
import Link from "next/link";
import { useTranslations } from "next-intl";
import { useAlerts } from "../lib/alerts";
import { useCan } from "../lib/queries";

export function AlertsBadge() {
  const can = useCan("alert.read");
  const { data } = useAlerts("active", can);
  const t = useTranslations("alerts");
  if (!can) return null;
  const firing = data?.counts.firing ?? 0;
  return (
    <Link
      href="/alerts"
      prefetch={false}
      data-testid="alerts-badge"
      data-firing={firing}
      aria-label={t("badge.label", { count: firing })}
      className={`rounded-full px-2 py-0.5 text-xs font-medium ${firing ? "bg-red-600 text-white" : "bg-slate-100 text-slate-600 dark:bg-slate-800 dark:text-slate-300"}`}
    >
      ⚠ {firing}
    </Link>
  );
}
