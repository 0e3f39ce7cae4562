import { useTranslations } from "next-intl";
import { AuthCard } from "../ui/form";

const STATES = ["unknown", "used", "expired", "revoked"] as const;
type RefusedState = (typeof STATES)[number];

/** What /invite and /reset show for a link that cannot be used (the API answers 404 or 410). */
export function LinkRefused({ state }: { state: string }) {
  const t = useTranslations("auth.refused");
  const known: RefusedState = (STATES as readonly string[]).includes(state) ? (state as RefusedState) : "unknown";
  return (
    <AuthCard title={t(`${known}.title`)}>
      <p className="mb-4 text-sm" data-testid="link-state" data-state={state}>
        {t(`${known}.body`)}
      </p>
      <a href="/login" className="text-sm font-medium text-sky-700 underline dark:text-sky-400">
        {t("goToSignIn")}
      </a>
    </AuthCard>
  );
}
