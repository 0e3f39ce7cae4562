"use client";
// API tokens: create one with a subset of your own permissions (the value is shown once),
// see when each was last used, revoke. Admins can switch to everyone's tokens.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslations } from "next-intl";
import { useFormat } from "../i18n/format";
import { api } from "../lib/api";
import { useCan } from "../lib/queries";
import { keys } from "../lib/query-keys";
import { Button } from "../ui/form";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { useToast } from "../ui/toasts";
import { NewTokenDialog } from "./new-token-dialog";

export interface TokenRow {
  id: string;
  name: string;
  hint: string;
  owner: string;
  permissions: string[];
  effective: string[];
  createdAt: string;
  expiresAt: string;
  lastUsedAt: string | null;
  lastUsedIp: string;
  expired: boolean;
}

export function ApiTokensPanel() {
  const t = useTranslations("settings.tokens");
  const tc = useTranslations("common");
  const f = useFormat();
  const isAdmin = useCan("user.manage");
  const [scope, setScope] = useState<"mine" | "all">("mine");
  const qc = useQueryClient();
  const toast = useToast();
  const tokens = useQuery({
    queryKey: keys.tokens(scope),
    queryFn: () => api<{ tokens: TokenRow[] }>(`/api/tokens${scope === "all" ? "?scope=all" : ""}`),
  });
  const revoke = useMutation({
    mutationFn: (id: string) => api(`/api/tokens/${encodeURIComponent(id)}`, { method: "DELETE" }),
    onSuccess: () => toast(t("revoked"), "success"),
    onError: (e) => toast(e.message, "error"),
    onSettled: () => qc.invalidateQueries({ queryKey: ["tokens"] }),
  });
  const [creating, setCreating] = useState(false);
  const [confirm, setConfirm] = useState<TokenRow | null>(null);
  const rows = tokens.data?.tokens ?? [];

  return (
    <section aria-labelledby="tokens-h" className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
      <div className="mb-3 flex flex-wrap items-center gap-3">
        <h2 id="tokens-h" className="text-lg font-medium">
          {t("title")}
        </h2>
        {isAdmin && (
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" checked={scope === "all"} onChange={(e) => setScope(e.target.checked ? "all" : "mine")} />
            {t("everyone")}
          </label>
        )}
        <span className="grow" />
        <Button onClick={() => setCreating(true)}>{t("new")}</Button>
      </div>
      <p className="mb-3 text-sm text-slate-600 dark:text-slate-400">{t.rich("intro", { code: (c) => <code>{c}</code> })}</p>
      {tokens.isPending ? (
        <p className="text-sm text-slate-500">{tc("loading")}</p>
      ) : tokens.isError ? (
        <p role="alert" className="text-sm text-red-600">
          {tokens.error.message}
        </p>
      ) : rows.length === 0 ? (
        <p className="text-sm text-slate-500" data-testid="tokens-empty">
          {t("empty")}
        </p>
      ) : (
        <table className="w-full text-left text-sm" aria-label={t("title")}>
          <thead className="text-slate-500">
            <tr>
              <th className="py-2">{t("name")}</th>
              {scope === "all" && <th>{t("owner")}</th>}
              <th>{t("permissions")}</th>
              <th>{t("expires")}</th>
              <th>{t("lastUsed")}</th>
              <th className="sr-only">{t("actions")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.id} data-testid="token-row" data-token={row.name} className="border-t border-slate-100 align-top dark:border-slate-800">
                <td className="py-2">
                  {row.name}
                  <div className="font-mono text-xs text-slate-500">{row.hint}…</div>
                </td>
                {scope === "all" && <td>{row.owner}</td>}
                <td className="max-w-xs">
                  {row.permissions.map((p) => (
                    <span
                      key={p}
                      title={row.effective.includes(p) ? undefined : t("notInEffect")}
                      className={`mr-1 inline-block rounded px-1 text-xs ${row.effective.includes(p) ? "bg-slate-100 dark:bg-slate-800" : "bg-amber-100 text-amber-900 line-through"}`}
                    >
                      {p}
                    </span>
                  ))}
                </td>
                <td className={row.expired ? "text-red-600" : undefined}>
                  {row.expired ? t("expiredOn", { date: f.date(row.expiresAt, "date") }) : f.date(row.expiresAt, "date")}
                </td>
                <td>
                  {row.lastUsedAt
                    ? row.lastUsedIp
                      ? t("usedFrom", { at: f.date(row.lastUsedAt), ip: row.lastUsedIp })
                      : f.date(row.lastUsedAt)
                    : tc("never")}
                </td>
                <td className="text-right">
                  <Button
                    variant="danger"
                    onClick={() => setConfirm(row)}
                    disabled={revoke.isPending}
                    aria-label={t("revokeToken", { name: row.name })}
                  >
                    {t("revoke")}
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <NewTokenDialog open={creating} onClose={() => setCreating(false)} />
      <ConfirmDialog
        open={!!confirm}
        title={t("revokeTitle", { name: confirm?.name ?? "" })}
        confirmLabel={t("revoke")}
        danger
        onCancel={() => setConfirm(null)}
        onConfirm={() => {
          if (confirm) revoke.mutate(confirm.id);
          setConfirm(null);
        }}
      >
        {t("revokeBody")}
      </ConfirmDialog>
    </section>
  );
}
