"use client";
// The sections of one host's pages (overview, storage, networks) as links, so each is its
// own URL an admin can bookmark and open in a new tab.
import Link from "next/link";
import { useTranslations } from "next-intl";
import { usePathname } from "next/navigation";

const SECTIONS = [
  { path: "", key: "overview" },
  { path: "/storage", key: "storage" },
  { path: "/networks", key: "networks" },
] as const;

export function HostSections({ hostId }: { hostId: string }) {
  const here = usePathname();
  const t = useTranslations("hosts.sections");
  const base = `/hosts/${encodeURIComponent(hostId)}`;
  return (
    <nav aria-label={t("label")} className="flex items-center gap-1 border-b border-slate-200 dark:border-slate-800">
      {SECTIONS.map((s) => {
        const href = base + s.path;
        const current = here === href;
        return (
          <Link
            key={s.path}
            href={href}
            aria-current={current ? "page" : undefined}
            className={`px-3 py-2 text-sm ${current ? "border-b-2 border-sky-600 font-medium" : "text-slate-500 hover:text-slate-800 dark:hover:text-slate-200"}`}
          >
            {t(s.key)}
          </Link>
        );
      })}
    </nav>
  );
}
