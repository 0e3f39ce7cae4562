"use client";
import { useState, type FormEvent } from "react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useQueryClient } from "@tanstack/react-query";
import { api, ApiClientError } from "../lib/api";
import { prefetchPageData } from "../lib/page-data";
import { AuthCard, Button, Field } from "../ui/form";

/** `sso`: the OIDC provider's button, when one is configured; `ssoError`: why its last sign-in was refused. */
export function LoginForm({ next, sso, ssoError }: { next: string; sso: { label: string } | null; ssoError: string | null }) {
  const t = useTranslations("auth");
  const [error, setError] = useState<string | null>(ssoError);
  const [busy, setBusy] = useState(false);
  const router = useRouter();
  const qc = useQueryClient();
  /** Set once the password passed and the account has a second factor. */
  const [challenge, setChallenge] = useState<string | null>(null);
  const [useRecovery, setUseRecovery] = useState(false);

  function proceed() {
    // Only this origin: an attacker-supplied ?next= (`//evil`, a backslash, `https://…`)
    // must not send the browser elsewhere.
    const url = new URL(next, window.location.origin);
    const target = url.origin === window.location.origin ? url.pathname + url.search + url.hash : "/";
    // The page's data is requested now, beside the page, not after its JavaScript ran;
    // and the navigation stays in this document (its scripts are loaded and running)
    // instead of loading and hydrating a new one.
    prefetchPageData(qc, target);
    router.replace(target);
  }

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    try {
      const r = await api<{ totpRequired?: true; challenge?: string }>("/api/auth/login", {
        method: "POST",
        body: { username: form.get("username"), password: form.get("password") },
      });
      if (r.totpRequired && r.challenge) {
        setChallenge(r.challenge);
        setBusy(false);
        return;
      }
      proceed();
    } catch (err) {
      setError(err instanceof ApiClientError ? err.message : t("login.failed"));
      setBusy(false);
    }
  }

  async function submitCode(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const value = String(new FormData(e.currentTarget).get("factor") ?? "").trim();
    setBusy(true);
    setError(null);
    try {
      await api("/api/auth/login/totp", { method: "POST", body: { challenge, ...(useRecovery ? { recoveryCode: value } : { code: value }) } });
      proceed();
    } catch (err) {
      // An expired challenge: start again from the password.
      if (err instanceof ApiClientError && err.fields.challenge) setChallenge(null);
      setError(err instanceof ApiClientError ? err.message : t("login.failed"));
      setBusy(false);
    }
  }

  if (challenge) {
    return (
      <AuthCard title={t("factor.title")}>
        <form onSubmit={submitCode} method="post" className="flex flex-col gap-4" noValidate>
          <Field
            key={useRecovery ? "recovery" : "code"}
            label={useRecovery ? t("factor.recoveryCode") : t("factor.code")}
            name="factor"
            autoComplete="one-time-code"
            inputMode={useRecovery ? "text" : "numeric"}
            required
            autoFocus
          />
          {error && (
            <p role="alert" className="text-sm text-red-600 dark:text-red-400">
              {error}
            </p>
          )}
          <Button type="submit" disabled={busy}>
            {busy ? t("factor.checking") : t("factor.verify")}
          </Button>
          <Button variant="secondary" onClick={() => (setUseRecovery((r) => !r), setError(null))}>
            {useRecovery ? t("factor.useApp") : t("factor.useRecovery")}
          </Button>
        </form>
      </AuthCard>
    );
  }

  return (
    <AuthCard title={t("login.title")}>
      {/* POST even without JavaScript (scripts blocked or not yet loaded): a native GET
          would put the password into the URL, the history and access logs. */}
      <form onSubmit={submit} method="post" className="flex flex-col gap-4" noValidate>
        <Field label={t("fields.username")} name="username" autoComplete="username" required autoFocus />
        <Field label={t("fields.password")} name="password" type="password" autoComplete="current-password" required />
        {error && (
          <p role="alert" className="text-sm text-red-600 dark:text-red-400">
            {error}
          </p>
        )}
        <Button type="submit" disabled={busy}>
          {busy ? t("login.submitting") : t("login.submit")}
        </Button>
      </form>
      {sso && (
        <div className="mt-4 flex flex-col gap-4">
          <p className="text-center text-xs text-slate-500 dark:text-slate-400">{t("login.or")}</p>
          {/* A plain link, not a fetch: the server answers with a redirect to the provider. */}
          <a
            href={`/api/auth/oidc/start?next=${encodeURIComponent(next)}`}
            className="rounded border border-slate-300 bg-white px-3 py-2 text-center text-sm font-medium hover:bg-slate-100 dark:border-slate-700 dark:bg-slate-900 dark:hover:bg-slate-800"
          >
            {t("login.sso", { provider: sso.label })}
          </a>
        </div>
      )}
    </AuthCard>
  );
}
