"use client";
import { useTranslations } from "next-intl";
import { useLogout } from "../lib/queries";
import { AuthCard, Button } from "../ui/form";
import { TotpEnrol } from "../settings/totp-enrol";

export function EnrolTotpPage({ username }: { username: string }) {
  const t = useTranslations("auth");
  const logout = useLogout();
  return (
    <AuthCard title={t("enrol.title")}>
      <p className="mb-4 text-sm text-slate-600 dark:text-slate-400">{t("enrol.body", { username })}</p>
      {/* A full load, not a client navigation: the server decides again what this session may open. */}
      <TotpEnrol onDone={() => window.location.assign("/")} />
      <div className="mt-4 border-t border-slate-200 pt-3 dark:border-slate-800">
        <Button variant="secondary" onClick={() => logout.mutate()} disabled={logout.isPending}>
          {t("enrol.signOut")}
        </Button>
      </div>
    </AuthCard>
  );
}
