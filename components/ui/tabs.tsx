"use client";
import Link from "next/link";
import type { ReactNode } from "react";
import { useTranslations } from "next-intl";

/** A row of tabs (role=tablist); labels are capitalized unless given. */
export function Tabs<T extends string>({
  label,
  tabs,
  value,
  onChange,
  labels,
  children,
}: {
  label: string;
  tabs: readonly T[];
  value: T;
  onChange: (t: T) => void;
  labels?: Partial<Record<T, string>>;
  children?: ReactNode;
}) {
  return (
    <div role="tablist" aria-label={label} className="flex items-center gap-1 border-b border-slate-200 dark:border-slate-800">
      {tabs.map((t) => (
        <button
          key={t}
          role="tab"
          type="button"
          aria-selected={value === t}
          onClick={() => onChange(t)}
          className={`px-3 py-2 text-sm capitalize ${value === t ? "border-b-2 border-sky-600 font-medium" : "text-slate-500"}`}
        >
          {labels?.[t] ?? t}
        </button>
      ))}
      {children}
    </div>
  );
}

/** "List / where": the way back to a list page from a detail page. */
export function Breadcrumb({ href, list, here }: { href: string; list: string; here: string }) {
  const t = useTranslations("common");
  return (
    <nav aria-label={t("breadcrumb")} className="text-sm text-slate-500">
      <Link href={href} className="hover:underline">
        {list}
      </Link>{" "}
      / {here}
    </nav>
  );
}
