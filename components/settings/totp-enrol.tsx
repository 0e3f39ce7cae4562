"use client";
// Enrolment: the server makes a secret and its QR code; the user scans it (or types the
// secret), confirms with a code, and gets ten recovery codes, shown this once.
import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { api, ApiClientError } from "../lib/api";
import { Button, Field } from "../ui/form";

interface Enrolment {
  secret: string;
  uri: string;
  qr: string;
}

export function TotpEnrol({ onDone, onCancel }: { onDone: () => void; onCancel?: () => void }) {
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const start = useMutation({
    mutationFn: () => api<Enrolment>("/api/auth/totp", { method: "POST" }),
    onSuccess: setEnrolment,
    onError: (e) => setError(e.message),
  });
  const confirm = useMutation({
    mutationFn: (code: string) => api<{ recoveryCodes: string[] }>("/api/auth/totp/confirm", { method: "POST", body: { code } }),
    onSuccess: (r) => setCodes(r.recoveryCodes),
    onError: (e) => setError(e instanceof ApiClientError ? (e.fields.code ?? e.message) : e.message),
  });

  if (codes) {
    return (
      <div className="flex flex-col gap-3">
        <p className="text-sm">
          Two-factor sign-in is on. Keep these recovery codes somewhere safe: each signs you in once if you lose your device. They are shown only now.
        </p>
        <ol data-testid="recovery-codes" className="grid grid-cols-2 gap-1 rounded bg-slate-100 p-3 font-mono text-sm dark:bg-slate-800">
          {codes.map((c) => (
            <li key={c}>{c}</li>
          ))}
        </ol>
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={() => void navigator.clipboard.writeText(codes.join("\n")).catch(() => undefined)}>
            Copy codes
          </Button>
          <Button onClick={onDone}>I have saved them</Button>
        </div>
      </div>
    );
  }
  if (!enrolment) {
    return (
      <div className="flex flex-col gap-3">
        <p className="text-sm">Use an authenticator app (FreeOTP, Aegis, Google Authenticator, 1Password…) to get a 6-digit code at each sign-in.</p>
        {error && (
          <p role="alert" className="text-sm text-red-600">
            {error}
          </p>
        )}
        <div className="flex gap-2">
          <Button onClick={() => (setError(null), start.mutate())} disabled={start.isPending}>
            {start.isPending ? "Preparing…" : "Set up two-factor sign-in"}
          </Button>
          {onCancel && (
            <Button variant="secondary" onClick={onCancel}>
              Cancel
            </Button>
          )}
        </div>
      </div>
    );
  }
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setError(null);
    confirm.mutate(String(new FormData(e.currentTarget).get("code") ?? "").trim());
  };
  return (
    <form onSubmit={submit} className="flex max-w-md flex-col gap-3" noValidate>
      <p className="text-sm">Scan this code with your authenticator app, or type the secret into it.</p>
      <img src={enrolment.qr} alt="QR code for your authenticator app" width={192} height={192} className="self-center rounded bg-white p-2" />
      <div className="text-sm">
        Secret:{" "}
        <code data-testid="totp-secret" className="font-mono break-all select-all">
          {enrolment.secret}
        </code>
      </div>
      <Field
        label="Code from the app"
        name="code"
        inputMode="numeric"
        autoComplete="one-time-code"
        pattern="[0-9]{6}"
        maxLength={6}
        required
        autoFocus
        error={error ?? undefined}
      />
      <div className="flex gap-2">
        <Button type="submit" disabled={confirm.isPending}>
          {confirm.isPending ? "Checking…" : "Turn on"}
        </Button>
        {onCancel && (
          <Button variant="secondary" onClick={onCancel}>
            Cancel
          </Button>
        )}
      </div>
    </form>
  );
}
