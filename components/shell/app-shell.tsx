"use client";
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import type { ReactNode } from "react";
import { useTranslations } from "next-intl";
import { NAV } from "./nav";
import { Logo } from "../ui/logo";
import { UserMenu } from "./user-menu";
import { CommandPalette } from "../palette/command-palette";
import { AlertsBadge } from "../alerts/alerts-badge";
import { useLiveEvents } from "../lib/live-events";
import { useGrants } from "../lib/queries";
import { allowsSomewhere } from "@/server/protocol/access";

export function AppShell({ username, children }: { username: string; children: ReactNode }) {
  const t = useTranslations("shell");
  const path = usePathname();
  const router = useRouter();
  const link = useLiveEvents();
  const grants = useGrants();
  const nav = NAV.filter((item) => !("permission" in item) || (grants !== null && allowsSomewhere(grants, item.permission)));
  return (
    <div className="flex min-h-screen">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:p-2">
        {t("skipToContent")}
      </a>
      <nav
        aria-label={t("mainNav")}
        className="flex w-56 shrink-0 flex-col border-r border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900"
      >
        <div className="flex items-center gap-2 px-4 py-4 text-lg font-semibold">
          {/* i18n-ignore: the product name */}
          <Logo className="h-6 w-6 text-sky-600" /> Hangar
        </div>
        <ul className="flex flex-col gap-1 px-2">
          {nav.map((item) => {
            const active = item.href === "/" ? path === "/" : path.startsWith(item.href);
            const label = t(`nav.${item.key}`);
            return (
              <li key={item.href}>
                <Link
                  href={item.href}
                  // Prefetched on intent, not on sight: six prefetches on every page load
                  // competed with the page's own data requests for the server.
                  prefetch={false}
                  onMouseEnter={() => router.prefetch(item.href)}
                  onFocus={() => router.prefetch(item.href)}
                  aria-current={active ? "page" : undefined}
                  className={`flex items-center gap-3 rounded px-3 py-2 text-sm ${active ? "bg-sky-100 font-medium text-sky-900 dark:bg-sky-900/40 dark:text-sky-100" : "hover:bg-slate-100 dark:hover:bg-slate-800"}`}
                >
                  <span aria-hidden className="w-4 text-center">
                    {item.icon}
                  </span>
                  {label}
                </Link>
              </li>
            );
          })}
        </ul>
      </nav>
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="flex h-14 items-center justify-end gap-4 border-b border-slate-200 bg-white px-4 dark:border-slate-800 dark:bg-slate-900">
          <span data-testid="live-status" data-state={link} className="text-xs text-slate-500" title={t("live.title")}>
            <span
              aria-hidden
              className={`mr-1 inline-block h-2 w-2 rounded-full ${link === "live" ? "bg-green-500" : link === "connecting" ? "bg-amber-400" : "bg-red-500"}`}
            />
            {link === "live" ? t("live.live") : link === "connecting" ? t("live.connecting") : t("live.reconnecting")}
          </span>
          <CommandPalette />
          <AlertsBadge />
          <UserMenu username={username} />
        </header>
        <main id="main" className="flex-1 p-6">
          {children}
        </main>
      </div>
    </div>
  );
}
