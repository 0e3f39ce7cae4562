"use client";
import { useState, type FormEvent } from "react";
import { api, ApiClientError } from "../lib/api";
import { AuthCard, Button, Field } from "../ui/form";

export function SetupForm({ token }: { token: string }) {
  const [fields, setFields] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

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
      await api("/api/setup", { method: "POST", body: { token, username: form.get("username"), password } });
      window.location.assign("/");
    } catch (err) {
      if (err instanceof ApiClientError) {
        setFields(err.fields);
        // Field errors show beside their fields; the summary is for everything else.
        setError(Object.keys(err.fields).length ? null : err.message);
      } else setError("Setup failed");
      setBusy(false);
    }
  }

  return (
    <AuthCard title="Create the first admin">
      <p className="mb-4 text-sm text-slate-600 dark:text-slate-400">
        This one-time page creates Hangar&apos;s first administrator. The link stops working once used.
      </p>
      {/* POST even without JavaScript (scripts blocked or not yet loaded): a native GET
          would put the password into the URL, the history and access logs. */}
      <form onSubmit={submit} method="post" className="flex flex-col gap-4" noValidate>
        <Field label="Username" name="username" autoComplete="username" required autoFocus error={fields.username} />
        <Field
          label="Password (12 characters or more)"
          name="password"
          type="password"
          autoComplete="new-password"
          minLength={12}
          required
          error={fields.password}
        />
        <Field label="Repeat password" name="confirm" type="password" autoComplete="new-password" required error={fields.confirm} />
        {error && (
          <p role="alert" className="text-sm text-red-600 dark:text-red-400">
            {error}
          </p>
        )}
        <Button type="submit" disabled={busy}>
          {busy ? "Creating…" : "Create admin"}
        </Button>
      </form>
    </AuthCard>
  );
}
