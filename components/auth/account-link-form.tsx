"use client";
// The forms behind /invite/<token> (choose a username and password, then signed in) and
// /reset/<token> (choose a new password, then sign in with it).
import { useState, type FormEvent } from "react";
import { useTranslations } from "next-intl";
import { api, ApiClientError } from "../lib/api";
import { AuthCard, Button, Field } from "../ui/form";
import { useRoleName } from "../settings/role-name";

type Kind = "invite" | "reset";

export function AccountLinkForm({ kind, token, role, username }: { kind: Kind; token: string; role?: string; username?: string }) {
  const t = useTranslations("auth");
  const tc = useTranslations("common");
  const roleName = useRoleName();
  const [fields, setFields] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const password = String(form.get("password") ?? "");
    if (password !== form.get("confirm")) {
      setFields({ confirm: t("fields.passwordsDiffer") });
      return;
    }
    setBusy(true);
    setError(null);
    setFields({});
    try {
      if (kind === "invite") {
        await api("/api/invitations/accept", { method: "POST", body: { token, username: form.get("username"), password } });
        window.location.assign("/");
        return;
      }
      await api("/api/password-reset", { method: "POST", body: { token, password } });
      setDone(true);
    } catch (err) {
      if (err instanceof ApiClientError) {
        // A spent link is not a field problem: say it plainly.
        const { token: tokenField, ...rest } = err.fields;
        setFields(rest);
        setError(tokenField || !Object.keys(rest).length ? err.message : null);
      } else setError(t("link.failed"));
    }
    setBusy(false);
  }

  if (done) {
    return (
      <AuthCard title={t("link.changedTitle")}>
        <p className="mb-4 text-sm">{t("link.changed")}</p>
        <a href="/login" className="text-sm font-medium text-sky-700 underline dark:text-sky-400">
          {t("link.signIn")}
        </a>
      </AuthCard>
    );
  }
  return (
    <AuthCard title={kind === "invite" ? t("link.inviteTitle") : username ? t("link.resetTitle", { username }) : t("link.resetTitleAnonymous")}>
      <p className="mb-4 text-sm text-slate-600 dark:text-slate-400">
        {kind === "invite" ? (role ? t("link.inviteIntro", { role: roleName(role) }) : t("link.inviteIntroNoRole")) : t("link.resetIntro")}
      </p>
      <form onSubmit={submit} method="post" className="flex flex-col gap-4" noValidate>
        {kind === "invite" && (
          <Field label={t("fields.username")} name="username" autoComplete="username" required autoFocus error={fields.username} />
        )}
        <Field
          label={t("fields.newPassword")}
          name="password"
          type="password"
          autoComplete="new-password"
          minLength={12}
          required
          autoFocus={kind === "reset"}
          error={fields.password}
        />
        <Field label={t("fields.repeatPassword")} name="confirm" type="password" autoComplete="new-password" required error={fields.confirm} />
        {error && (
          <p role="alert" className="text-sm text-red-600 dark:text-red-400">
            {error}
          </p>
        )}
        <Button type="submit" disabled={busy}>
          {busy ? tc("actions.saving") : kind === "invite" ? t("link.createAccount") : t("link.setPassword")}
        </Button>
      </form>
    </AuthCard>
  );
}
