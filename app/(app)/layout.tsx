import type { ReactNode } from "react";
import { AppShell } from "@/components/shell/app-shell";
import { requirePageSession } from "@/server/web/http/page-session";

export const dynamic = "force-dynamic";

export default async function AppLayout({ children }: { children: ReactNode }) {
  const { user } = await requirePageSession();
  return <AppShell username={user.username}>{children}</AppShell>;
}
