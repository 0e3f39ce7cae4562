import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { LoginForm } from "@/components/auth/login-form";
import { services } from "@/server/web/services";
import { setupNeeded } from "@/server/web/services/sessions";
import { OIDC_REFUSAL_MESSAGES } from "@/server/web/services/oidc";

export const dynamic = "force-dynamic";

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ next?: string; oidc_error?: string }> }) {
  const svc = services();
  if (await setupNeeded(svc)) redirect("/setup");
  const { next, oidc_error } = await searchParams;
  // A fixed message per refusal code: nothing from the URL is shown as text.
  const refusal =
    typeof oidc_error === "string" && Object.hasOwn(OIDC_REFUSAL_MESSAGES, oidc_error) ? (oidc_error as keyof typeof OIDC_REFUSAL_MESSAGES) : null;
  const t = await getTranslations("auth.oidcRefused");
  return (
    <LoginForm
      next={typeof next === "string" ? next : "/"}
      sso={svc.oidc ? { label: svc.oidc.label } : null}
      ssoError={refusal ? t(refusal) : null}
    />
  );
}
