"use client";
import { useState, type FormEvent } from "react";
import { api, ApiClientError } from "../lib/api";
import { AuthCard, Button, Field } from "../ui/form";

export function LoginForm({ next }: { next: string }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    try {
      await api("/api/auth/login", { method: "POST", body: { username: form.get("username"), password: form.get("password") } });
      // Only same-site paths: an attacker-supplied ?next= must not redirect elsewhere.
      window.location.assign(next.startsWith("/") && !next.startsWith("//") ? next : "/");
    } catch (err) {
      setError(err instanceof ApiClientError ? err.message : "Sign-in failed");
      setBusy(false);
    }
  }

  return (
    <AuthCard title="Sign in to Hangar">
      <form onSubmit={submit} className="flex flex-col gap-4" noValidate>
        <Field label="Username" name="username" autoComplete="username" required autoFocus />
        <Field label="Password" name="password" type="password" autoComplete="current-password" required />
        {error && (
          <p role="alert" className="text-sm text-red-600 dark:text-red-400">
            {error}
          </p>
        )}
        <Button type="submit" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </Button>
      </form>
    </AuthCard>
  );
}
