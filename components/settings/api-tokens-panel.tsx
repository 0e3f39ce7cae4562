"use client";
// API tokens: create one with a subset of your own permissions (the value is shown once),
// see when each was last used, revoke. Admins can switch to everyone's tokens.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
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
    onSuccess: () => toast("Token revoked", "success"),
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
          API tokens
        </h2>
        {isAdmin && (
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" checked={scope === "all"} onChange={(e) => setScope(e.target.checked ? "all" : "mine")} />
            Everyone&apos;s tokens
          </label>
        )}
        <span className="grow" />
        <Button onClick={() => setCreating(true)}>New token</Button>
      </div>
      <p className="mb-3 text-sm text-slate-600 dark:text-slate-400">
        For scripts and Prometheus: send <code>Authorization: Bearer hgr_…</code>. A token never holds more than its owner can do right now.
      </p>
      {tokens.isPending ? (
        <p className="text-sm text-slate-500">Loading…</p>
      ) : tokens.isError ? (
        <p role="alert" className="text-sm text-red-600">
          {tokens.error.message}
        </p>
      ) : rows.length === 0 ? (
        <p className="text-sm text-slate-500" data-testid="tokens-empty">
          No API tokens yet.
        </p>
      ) : (
        <table className="w-full text-left text-sm" aria-label="API tokens">
          <thead className="text-slate-500">
            <tr>
              <th className="py-2">Name</th>
              {scope === "all" && <th>Owner</th>}
              <th>Permissions</th>
              <th>Expires</th>
              <th>Last used</th>
              <th className="sr-only">Actions</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((t) => (
              <tr key={t.id} data-testid="token-row" data-token={t.name} className="border-t border-slate-100 align-top dark:border-slate-800">
                <td className="py-2">
                  {t.name}
                  <div className="font-mono text-xs text-slate-500">{t.hint}…</div>
                </td>
                {scope === "all" && <td>{t.owner}</td>}
                <td className="max-w-xs">
                  {t.permissions.map((p) => (
                    <span
                      key={p}
                      title={t.effective.includes(p) ? undefined : "its owner no longer holds this: not in effect"}
                      className={`mr-1 inline-block rounded px-1 text-xs ${t.effective.includes(p) ? "bg-slate-100 dark:bg-slate-800" : "bg-amber-100 text-amber-900 line-through"}`}
                    >
                      {p}
                    </span>
                  ))}
                </td>
                <td className={t.expired ? "text-red-600" : undefined}>
                  {t.expired ? "expired " : ""}
                  {new Date(t.expiresAt).toLocaleDateString()}
                </td>
                <td>{t.lastUsedAt ? `${new Date(t.lastUsedAt).toLocaleString()}${t.lastUsedIp ? ` from ${t.lastUsedIp}` : ""}` : "never"}</td>
                <td className="text-right">
                  <Button variant="danger" onClick={() => setConfirm(t)} disabled={revoke.isPending} aria-label={`Revoke token ${t.name}`}>
                    Revoke
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
        title={`Revoke the token "${confirm?.name ?? ""}"?`}
        confirmLabel="Revoke"
        danger
        onCancel={() => setConfirm(null)}
        onConfirm={() => {
          if (confirm) revoke.mutate(confirm.id);
          setConfirm(null);
        }}
      >
        Scripts using it are refused from their next request. This cannot be undone.
      </ConfirmDialog>
    </section>
  );
}
