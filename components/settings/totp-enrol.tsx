"use client";
// Enrolment: the server makes a secret and its QR code; the user scans it (or types the
// secret), confirms with a code, and gets ten recovery codes, shown this once.
import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslations } from "next-intl";
import { api, ApiClientError } from "../lib/api";
import { Button, Field } from "../ui/form";

interface Enrolment {
  secret: string;
  uri: string;
  qr: string;
}

export function TotpEnrol({ onDone, onCancel }: { onDone: () => void; onCancel?: () => void }) {
  const t = useTranslations("settings.totpEnrol");
  const tc = useTranslations("common");
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
        <p className="text-sm">{t("codesIntro")}</p>
        <ol data-testid="recovery-codes" className="grid grid-cols-2 gap-1 rounded bg-slate-100 p-3 font-mono text-sm dark:bg-slate-800">
          {codes.map((c) => (
            <li key={c}>{c}</li>
          ))}
        </ol>
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={() => void navigator.clipboard.writeText(codes.join("\n")).catch(() => undefined)}>
            {t("copyCodes")}
          </Button>
          <Button onClick={onDone}>{t("saved")}</Button>
        </div>
      </div>
    );
  }
  if (!enrolment) {
    return (
      <div className="flex flex-col gap-3">
        <p className="text-sm">{t("intro")}</p>
        {error && (
          <p role="alert" className="text-sm text-red-600">
            {error}
          </p>
        )}
        <div className="flex gap-2">
          <Button onClick={() => (setError(null), start.mutate())} disabled={start.isPending}>
            {start.isPending ? t("preparing") : t("setUp")}
          </Button>
          {onCancel && (
            <Button variant="secondary" onClick={onCancel}>
              {tc("actions.cancel")}
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
      <p className="text-sm">{t("scan")}</p>
      <img src={enrolment.qr} alt={t("qrAlt")} width={192} height={192} className="self-center rounded bg-white p-2" />
      <div className="text-sm">
        {t("secret")}{" "}
        <code data-testid="totp-secret" className="font-mono break-all select-all">
          {enrolment.secret}
        </code>
      </div>
      <Field
        label={t("code")}
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
          {confirm.isPending ? t("checking") : t("turnOn")}
        </Button>
        {onCancel && (
          <Button variant="secondary" onClick={onCancel}>
            {tc("actions.cancel")}
          </Button>
        )}
      </div>
    </form>
  );
}
