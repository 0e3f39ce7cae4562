"use client";
// Your second factor: on/off, recovery codes left, enrol, turn off (with a code or a
// recovery code, unless your role requires it).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
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
  const qc = useQueryClient();
  const toast = useToast();
  const status = useQuery({ queryKey: keys.totp(), queryFn: () => api<TotpStatus>("/api/auth/totp") });
  const refresh = () => qc.invalidateQueries({ queryKey: keys.totp() });
  const [useRecovery, setUseRecovery] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const disable = useMutation({
    mutationFn: (b: { code: string } | { recoveryCode: string }) => api("/api/auth/totp/disable", { method: "POST", body: b }),
    onSuccess: () => (toast("Two-factor sign-in turned off", "success"), refresh()),
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
        Two-factor sign-in
      </h2>
      {!s ? (
        <p className="text-sm text-slate-500">{status.isError ? status.error.message : "Loading…"}</p>
      ) : s.enabled ? (
        <div className="flex flex-col gap-3 text-sm">
          <p data-testid="totp-status">
            On since {s.enabledAt ? new Date(s.enabledAt).toLocaleDateString() : "—"}; {s.recoveryCodesLeft} recovery code
            {s.recoveryCodesLeft === 1 ? "" : "s"} left.
            {s.recoveryCodesLeft <= 3 && " Running low: turn it off and on again for a fresh set."}
          </p>
          {s.required ? (
            <p className="text-slate-500">Your role requires it, so it cannot be turned off here. An admin can reset it if you lose your device.</p>
          ) : (
            <form onSubmit={submit} className="flex flex-wrap items-end gap-2" noValidate>
              <Field
                label={useRecovery ? "Recovery code" : "Current code"}
                name="factor"
                autoComplete="one-time-code"
                inputMode={useRecovery ? "text" : "numeric"}
                required
                error={error ?? undefined}
              />
              <Button type="submit" variant="danger" disabled={disable.isPending}>
                Turn off
              </Button>
              <Button variant="secondary" onClick={() => setUseRecovery((r) => !r)}>
                {useRecovery ? "Use a code instead" : "Use a recovery code"}
              </Button>
            </form>
          )}
        </div>
      ) : (
        <div className="flex flex-col gap-3 text-sm">
          <p data-testid="totp-status">Off. {s.required && "Your role requires it: set it up now."}</p>
          <TotpEnrol onDone={() => void refresh()} />
        </div>
      )}
    </section>
  );
}
