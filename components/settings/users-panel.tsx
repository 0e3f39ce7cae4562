"use client";
// Team accounts (admins only): add a user with a role, change roles, disable and enable,
// issue a password reset link (shown once), remove users.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslations } from "next-intl";
import { api, ApiClientError } from "../lib/api";
import { useCan, useMe, type PublicUser } from "../lib/queries";
import { keys } from "../lib/query-keys";
import { Button, Field } from "../ui/form";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { useToast } from "../ui/toasts";
import { CopyOnce } from "../ui/copy-once";
import { useRoleName } from "./role-name";

/** The account roles, in the order the choices and their help are listed. */
const ACCOUNT_ROLES = ["admin", "operator", "viewer", "none"] as const;

export function UsersPanel() {
  const t = useTranslations("settings.users");
  const roleName = useRoleName();
  const me = useMe();
  const qc = useQueryClient();
  const toast = useToast();
  const isAdmin = useCan("user.manage");
  const users = useQuery({ queryKey: keys.users(), queryFn: () => api<{ users: PublicUser[] }>("/api/users"), enabled: isAdmin });
  const refresh = () => qc.invalidateQueries({ queryKey: keys.users() });
  const add = useMutation({
    mutationFn: (b: { username: string; password: string; role: string }) => api("/api/users", { method: "POST", body: b }),
    onSuccess: refresh,
  });
  const setRole = useMutation({
    mutationFn: ({ id, role }: { id: string; role: string }) => api(`/api/users/${encodeURIComponent(id)}`, { method: "PATCH", body: { role } }),
    onSettled: refresh,
    onError: (e) => toast(e.message, "error"),
  });
  const remove = useMutation({
    mutationFn: (id: string) => api(`/api/users/${encodeURIComponent(id)}`, { method: "DELETE" }),
    onSettled: refresh,
    onError: (e) => toast(e.message, "error"),
  });
  const setStatus = useMutation({
    mutationFn: ({ id, disabled }: { id: string; disabled: boolean }) =>
      api(`/api/users/${encodeURIComponent(id)}/status`, { method: "PUT", body: { disabled } }),
    onSuccess: (_r, v) => toast(v.disabled ? t("disabledToast") : t("enabledToast"), "success"),
    onSettled: refresh,
    onError: (e) => toast(e.message, "error"),
  });
  const [reset, setReset] = useState<{ username: string; url: string } | null>(null);
  const resetLink = useMutation({
    mutationFn: (u: PublicUser) => api<{ path: string }>(`/api/users/${encodeURIComponent(u.id)}/reset-link`, { method: "POST", body: {} }),
    onSuccess: (r, u) => setReset({ username: u.username, url: window.location.origin + r.path }),
    onError: (e) => toast(e.message, "error"),
  });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [confirm, setConfirm] = useState<PublicUser | null>(null);
  const [confirmDisable, setConfirmDisable] = useState<PublicUser | null>(null);
  if (!isAdmin) return null;
  // The role choices, for a user's row and for the add-user form.
  const roleOptions = ACCOUNT_ROLES.map((r) => (
    <option key={r} value={r}>
      {roleName(r)}
    </option>
  ));

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    setErrors({});
    add.mutate(
      { username: String(f.get("username") ?? ""), password: String(f.get("password") ?? ""), role: String(f.get("role") ?? "viewer") },
      {
        onSuccess: () => (form.reset(), toast(t("added"), "success")),
        onError: (err) =>
          setErrors(
            err instanceof ApiClientError ? { ...err.fields, form: Object.keys(err.fields).length ? "" : err.message } : { form: err.message },
          ),
      },
    );
  };
  return (
    <section aria-labelledby="users-h" className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
      <h2 id="users-h" className="mb-3 text-lg font-medium">
        {t("title")}
      </h2>
      <table className="mb-4 w-full text-left text-sm" aria-label={t("table")}>
        <thead className="text-slate-500">
          <tr>
            <th className="py-2">{t("user")}</th>
            <th>{t("role")}</th>
            <th>{t("status")}</th>
            <th className="sr-only">{t("actions")}</th>
          </tr>
        </thead>
        <tbody>
          {users.data?.users.map((u) => (
            <tr key={u.id} className="border-t border-slate-100 dark:border-slate-800" data-testid="user-row" data-user={u.username}>
              <td className="py-2">
                {u.username}
                {u.id === me.data?.user.id && <span className="ml-1 text-xs text-slate-500">{t("you")}</span>}
              </td>
              <td>
                <select
                  aria-label={t("roleOf", { name: u.username })}
                  value={u.role}
                  onChange={(e) => setRole.mutate({ id: u.id, role: e.target.value })}
                  className="rounded border border-slate-300 bg-white px-2 py-1 dark:border-slate-700 dark:bg-slate-900"
                >
                  {roleOptions}
                </select>
              </td>
              <td>
                {u.disabled ? (
                  <span className="rounded bg-slate-200 px-2 py-0.5 text-xs dark:bg-slate-700">{t("disabled")}</span>
                ) : (
                  <span className="text-xs text-green-700 dark:text-green-400">{t("active")}</span>
                )}
              </td>
              <td className="flex justify-end gap-2 py-1">
                <Button variant="secondary" onClick={() => resetLink.mutate(u)} disabled={resetLink.isPending} title={t("resetLinkTitle")}>
                  {t("resetLink")}
                </Button>
                {u.id !== me.data?.user.id &&
                  (u.disabled ? (
                    <Button variant="secondary" onClick={() => setStatus.mutate({ id: u.id, disabled: false })}>
                      {t("enable")}
                    </Button>
                  ) : (
                    <Button variant="secondary" onClick={() => setConfirmDisable(u)}>
                      {t("disable")}
                    </Button>
                  ))}
                {u.id !== me.data?.user.id && (
                  <Button variant="danger" onClick={() => setConfirm(u)}>
                    {t("remove")}
                  </Button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {reset && <CopyOnce label={t("resetLinkFor", { name: reset.username })} value={reset.url} onDone={() => setReset(null)} />}
      <form onSubmit={submit} noValidate className="grid items-end gap-2 md:grid-cols-4" aria-label={t("add")}>
        <Field label={t("username")} name="username" autoComplete="off" error={errors.username} />
        <Field label={t("password")} name="password" type="password" autoComplete="new-password" error={errors.password} />
        <label className="flex flex-col gap-1 text-sm font-medium">
          {t("role")}
          <select
            name="role"
            defaultValue="viewer"
            className="rounded border border-slate-300 bg-white px-2 py-2 text-sm font-normal dark:border-slate-700 dark:bg-slate-900"
          >
            {roleOptions}
          </select>
        </label>
        <Button type="submit" disabled={add.isPending}>
          {t("add")}
        </Button>
        {errors.form && <p className="text-sm text-red-600 md:col-span-4">{errors.form}</p>}
      </form>
      <ul className="mt-3 text-xs text-slate-500">
        {ACCOUNT_ROLES.map((r) => {
          const key = `roleHelp.${r}` as const;
          return <li key={r}>{t.rich(key, { role: roleName(r), b: (c) => <strong>{c}</strong> })}</li>;
        })}
      </ul>
      <ConfirmDialog
        open={!!confirm}
        title={t("removeTitle", { name: confirm?.username ?? "" })}
        confirmLabel={t("removeConfirm")}
        danger
        onCancel={() => setConfirm(null)}
        onConfirm={() => (confirm && remove.mutate(confirm.id), setConfirm(null))}
      >
        {t("removeBody")}
      </ConfirmDialog>
      <ConfirmDialog
        open={!!confirmDisable}
        title={t("disableTitle", { name: confirmDisable?.username ?? "" })}
        confirmLabel={t("disableConfirm")}
        danger
        onCancel={() => setConfirmDisable(null)}
        onConfirm={() => (confirmDisable && setStatus.mutate({ id: confirmDisable.id, disabled: true }), setConfirmDisable(null))}
      >
        {t("disableBody")}
      </ConfirmDialog>
    </section>
  );
}
