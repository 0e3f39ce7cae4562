"use client";
// The forms behind /invite/<token> (choose a username and password, then signed in) and
// /reset/<token> (choose a new password, then sign in with it).
import { useState, type FormEvent } from "react";
import { api, ApiClientError } from "../lib/api";
import { AuthCard, Button, Field } from "../ui/form";

type Kind = "invite" | "reset";

export function AccountLinkForm({ kind, token, role, username }: { kind: Kind; token: string; role?: string; username?: string }) {
  const [fields, setFields] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const password = String(form.get("password") ?? "");
    if (password !== form.get("confirm")) {
      setFields({ confirm: "The passwords differ" });
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
      } else setError("Something went wrong: try again");
    }
    setBusy(false);
  }

  if (done) {
    return (
      <AuthCard title="Password changed">
        <p className="mb-4 text-sm">Your new password is set and every earlier session of yours has been signed out.</p>
        <a href="/login" className="text-sm font-medium text-sky-700 underline dark:text-sky-400">
          Sign in
        </a>
      </AuthCard>
    );
  }
  return (
    <AuthCard title={kind === "invite" ? "Join Hangar" : `New password for ${username ?? "your account"}`}>
      <p className="mb-4 text-sm text-slate-600 dark:text-slate-400">
        {kind === "invite"
          ? `You were invited as ${role ?? "a user"}. Choose your username and password; this link works once.`
          : "Choose a new password. This link works once; all your other sessions will be signed out."}
      </p>
      <form onSubmit={submit} method="post" className="flex flex-col gap-4" noValidate>
        {kind === "invite" && <Field label="Username" name="username" autoComplete="username" required autoFocus error={fields.username} />}
        <Field
          label="Password (12 characters or more)"
          name="password"
          type="password"
          autoComplete="new-password"
          minLength={12}
          required
          autoFocus={kind === "reset"}
          error={fields.password}
        />
        <Field label="Repeat password" name="confirm" type="password" autoComplete="new-password" required error={fields.confirm} />
        {error && (
          <p role="alert" className="text-sm text-red-600 dark:text-red-400">
            {error}
          </p>
        )}
        <Button type="submit" disabled={busy}>
          {busy ? "Saving…" : kind === "invite" ? "Create my account" : "Set password"}
        </Button>
      </form>
    </AuthCard>
  );
}
