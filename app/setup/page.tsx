import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { SetupForm } from "@/components/auth/setup-form";
import { AuthCard } from "@/components/ui/form";
import { services } from "@/server/web/services";
import { setupNeeded } from "@/server/web/services/sessions";

export const dynamic = "force-dynamic";

export default async function SetupPage({ searchParams }: { searchParams: Promise<{ token?: string }> }) {
  const svc = services();
  // Once an admin exists, setup is closed for good.
  if (!(await setupNeeded(svc))) redirect("/login");
  const { token } = await searchParams;
  const t = await getTranslations("auth.setup");
  if (typeof token !== "string" || !svc.setup.check(token)) {
    return (
      <AuthCard title={t("linkNeededTitle")}>
        <p className="text-sm">{t("linkNeeded")}</p>
      </AuthCard>
    );
  }
  return <SetupForm token={token} />;
}
