"use client";
// Invitations (admins only): a one-time link with a role, optionally a group to join, and
// an expiry, shown once; the pending ones listed and revocable.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslations } from "next-intl";
import { useFormat } from "../i18n/format";
import { api, ApiClientError } from "../lib/api";
import { useCan } from "../lib/queries";
import { useGroups } from "../lib/access";
import { keys } from "../lib/query-keys";
import { Button } from "../ui/form";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { CopyOnce } from "../ui/copy-once";
import { useToast } from "../ui/toasts";
import { useRoleName } from "./role-name";

interface Invitation {
  id: string;
  role: string;
  groupId: string | null;
  createdBy: string;
  createdAt: string;
  expiresAt: string;
}

/** The expiry choices: how many hours or days, and in seconds. */
const EXPIRY = [
  { hours: 1, seconds: 3600 },
  { hours: 24, seconds: 86_400 },
  { days: 3, seconds: 3 * 86_400 },
  { days: 7, seconds: 7 * 86_400 },
];

const select = "rounded border border-slate-300 bg-white px-2 py-2 text-sm font-normal dark:border-slate-700 dark:bg-slate-900";

export function InvitationsPanel() {
  const t = useTranslations("settings.invitations");
  const fmt = useFormat();
  const roleName = useRoleName();
  const canManage = useCan("user.manage");
  const qc = useQueryClient();
  const toast = useToast();
  const key = [...keys.users(), "invitations"];
  const list = useQuery({ queryKey: key, queryFn: () => api<{ invitations: Invitation[] }>("/api/invitations"), enabled: canManage });
  const groups = useGroups(canManage);
  const refresh = () => qc.invalidateQueries({ queryKey: key });
  const [link, setLink] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<Invitation | null>(null);
  const create = useMutation({
    mutationFn: (b: { role: string; groupId?: string; expiresInSeconds: number }) =>
      api<{ path: string }>("/api/invitations", { method: "POST", body: b }),
    onSuccess: (r) => (setLink(window.location.origin + r.path), setError(null)),
    onError: (e) => setError(e instanceof ApiClientError ? e.message : t("createFailed")),
    onSettled: refresh,
  });
  const revoke = useMutation({
    mutationFn: (id: string) => api(`/api/invitations/${encodeURIComponent(id)}`, { method: "DELETE" }),
    onSuccess: () => toast(t("revoked"), "success"),
    onError: (e) => toast(e.message, "error"),
    onSettled: refresh,
  });
  if (!canManage) return null;

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const groupId = String(f.get("group") ?? "");
    create.mutate({ role: String(f.get("role") ?? "viewer"), ...(groupId ? { groupId } : {}), expiresInSeconds: Number(f.get("expiry") ?? 86_400) });
  };
  const pending = list.data?.invitations ?? [];
  return (
    <section aria-labelledby="inv-h" className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
      <h2 id="inv-h" className="mb-3 text-lg font-medium">
        {t("title")}
      </h2>
      <form onSubmit={submit} className="mb-3 flex flex-wrap items-end gap-2" aria-label={t("form")}>
        <label className="flex flex-col gap-1 text-sm font-medium">
          {t("role")}
          <select name="role" defaultValue="viewer" className={select}>
            <option value="viewer">{roleName("viewer")}</option>
            <option value="operator">{roleName("operator")}</option>
            <option value="admin">{roleName("admin")}</option>
            <option value="none">{t("roleNone", { role: roleName("none") })}</option>
          </select>
        </label>
        <label className="flex flex-col gap-1 text-sm font-medium">
          {t("joinGroup")}
          <select name="group" defaultValue="" className={select}>
            <option value="">{t("noGroup")}</option>
            {groups.data?.groups.map((g) => (
              <option key={g.id} value={g.id}>
                {g.name}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1 text-sm font-medium">
          {t("expiresAfter")}
          <select name="expiry" defaultValue={String(3 * 86_400)} className={select}>
            {EXPIRY.map((x) => (
              <option key={x.seconds} value={x.seconds}>
                {x.hours ? t("hours", { count: x.hours }) : t("days", { count: x.days ?? 0 })}
              </option>
            ))}
          </select>
        </label>
        <Button type="submit" disabled={create.isPending}>
          {create.isPending ? t("creating") : t("create")}
        </Button>
      </form>
      {error && (
        <p role="alert" className="mb-2 text-sm text-red-600">
          {error}
        </p>
      )}
      {link && <CopyOnce label={t("link")} value={link} onDone={() => setLink(null)} />}
      {pending.length === 0 ? (
        <p className="mt-3 text-sm text-slate-500">{t("empty")}</p>
      ) : (
        <table className="mt-3 w-full text-left text-sm" aria-label={t("pending")}>
          <thead className="text-slate-500">
            <tr>
              <th className="py-2">{t("role")}</th>
              <th>{t("group")}</th>
              <th>{t("createdBy")}</th>
              <th>{t("expires")}</th>
              <th className="sr-only">{t("actions")}</th>
            </tr>
          </thead>
          <tbody>
            {pending.map((i) => (
              <tr key={i.id} className="border-t border-slate-100 dark:border-slate-800" data-testid="invitation-row">
                <td className="py-2">{roleName(i.role)}</td>
                <td>{groups.data?.groups.find((g) => g.id === i.groupId)?.name ?? (i.groupId ? t("deletedGroup") : "—")}</td>
                <td>{i.createdBy}</td>
                <td>
                  <time dateTime={i.expiresAt}>{fmt.date(i.expiresAt)}</time>
                </td>
                <td className="text-right">
                  <Button variant="secondary" onClick={() => setConfirm(i)}>
                    {t("revoke")}
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ConfirmDialog
        open={!!confirm}
        title={t("revokeTitle")}
        confirmLabel={t("revokeConfirm")}
        danger
        onCancel={() => setConfirm(null)}
        onConfirm={() => (confirm && revoke.mutate(confirm.id), setConfirm(null))}
      >
        {t("revokeBody")}
      </ConfirmDialog>
    </section>
  );
}
