"use client";
import { useState, type FormEvent } from "react";
import { useTranslations } from "next-intl";
import { api, ApiClientError } from "../lib/api";
import { AuthCard, Button, Field } from "../ui/form";

export function SetupForm({ token }: { token: string }) {
  const t = useTranslations("auth");
  const [fields, setFields] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

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
      await api("/api/setup", { method: "POST", body: { token, username: form.get("username"), password } });
      window.location.assign("/");
    } catch (err) {
      if (err instanceof ApiClientError) {
        setFields(err.fields);
        // Field errors show beside their fields; the summary is for everything else.
        setError(Object.keys(err.fields).length ? null : err.message);
      } else setError(t("setup.failed"));
      setBusy(false);
    }
  }

  return (
    <AuthCard title={t("setup.title")}>
      <p className="mb-4 text-sm text-slate-600 dark:text-slate-400">{t("setup.intro")}</p>
      {/* POST even without JavaScript (scripts blocked or not yet loaded): a native GET
          would put the password into the URL, the history and access logs. */}
      <form onSubmit={submit} method="post" className="flex flex-col gap-4" noValidate>
        <Field label={t("fields.username")} name="username" autoComplete="username" required autoFocus error={fields.username} />
        <Field
          label={t("fields.newPassword")}
          name="password"
          type="password"
          autoComplete="new-password"
          minLength={12}
          required
          error={fields.password}
        />
        <Field label={t("fields.repeatPassword")} name="confirm" type="password" autoComplete="new-password" required error={fields.confirm} />
        {error && (
          <p role="alert" className="text-sm text-red-600 dark:text-red-400">
            {error}
          </p>
        )}
        <Button type="submit" disabled={busy}>
          {busy ? t("setup.submitting") : t("setup.submit")}
        </Button>
      </form>
    </AuthCard>
  );
}
