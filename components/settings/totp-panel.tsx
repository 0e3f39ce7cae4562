"use client";
// Your second factor: on/off, recovery codes left, enrol, turn off (with a code or a
// recovery code, unless your role requires it).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslations } from "next-intl";
import { useFormat } from "../i18n/format";
import { api, ApiClientError } from "../lib/api";
import { keys } from "../lib/query-keys";
import { Button, Field } from "../ui/form";
import { useToast } from "../ui/toasts";
import { TotpEnrol } from "./totp-enrol";

export interface TotpStatus {
  enabled: boolean;
  enabledAt: string | null;
  recoveryCodesLeft: number;
  required: boolean;
  mustEnrol: boolean;
}

export function TotpPanel() {
  const t = useTranslations("settings.totp");
  const tc = useTranslations("common");
  const f = useFormat();
  const qc = useQueryClient();
  const toast = useToast();
  const status = useQuery({ queryKey: keys.totp(), queryFn: () => api<TotpStatus>("/api/auth/totp") });
  const refresh = () => qc.invalidateQueries({ queryKey: keys.totp() });
  const [useRecovery, setUseRecovery] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const disable = useMutation({
    mutationFn: (b: { code: string } | { recoveryCode: string }) => api("/api/auth/totp/disable", { method: "POST", body: b }),
    onSuccess: () => (toast(t("turnedOff"), "success"), refresh()),
    onError: (e) => setError(e instanceof ApiClientError ? (Object.values(e.fields)[0] ?? e.message) : e.message),
  });
  const s = status.data;
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const v = String(new FormData(e.currentTarget).get("factor") ?? "").trim();
    setError(null);
    disable.mutate(useRecovery ? { recoveryCode: v } : { code: v });
  };

  return (
    <section aria-labelledby="totp-h" className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
      <h2 id="totp-h" className="mb-3 text-lg font-medium">
        {t("title")}
      </h2>
      {!s ? (
        <p className="text-sm text-slate-500">{status.isError ? status.error.message : tc("loading")}</p>
      ) : s.enabled ? (
        <div className="flex flex-col gap-3 text-sm">
          <p data-testid="totp-status">
            {t("onSince", { since: s.enabledAt ? f.date(s.enabledAt, "date") : "—", count: s.recoveryCodesLeft })}
            {s.recoveryCodesLeft <= 3 && ` ${t("runningLow")}`}
          </p>
          {s.required ? (
            <p className="text-slate-500">{t("requiredOn")}</p>
          ) : (
            <form onSubmit={submit} className="flex flex-wrap items-end gap-2" noValidate>
              <Field
                label={useRecovery ? t("recoveryCode") : t("currentCode")}
                name="factor"
                autoComplete="one-time-code"
                inputMode={useRecovery ? "text" : "numeric"}
                required
                error={error ?? undefined}
              />
              <Button type="submit" variant="danger" disabled={disable.isPending}>
                {t("turnOff")}
              </Button>
              <Button variant="secondary" onClick={() => setUseRecovery((r) => !r)}>
                {useRecovery ? t("useCode") : t("useRecovery")}
              </Button>
            </form>
          )}
        </div>
      ) : (
        <div className="flex flex-col gap-3 text-sm">
          <p data-testid="totp-status">{s.required ? t("offRequired") : t("off")}</p>
          <TotpEnrol onDone={() => void refresh()} />
        </div>
      )}
    </section>
  );
}
