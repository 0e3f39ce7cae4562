"use client";
// Admins: who must use two-factor sign-in (everyone, or some roles), and resetting a
// user's second factor when they lost their device.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTranslations } from "next-intl";
import { api } from "../lib/api";
import { useCan, useMe, type PublicUser } from "../lib/queries";
import { keys } from "../lib/query-keys";
import { ROLES } from "@/server/protocol/roles";
import { Button } from "../ui/form";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { useToast } from "../ui/toasts";
import { useRoleName } from "./role-name";

interface Policy {
  requireAll: boolean;
  roles: string[];
}

export function TotpPolicyPanel() {
  const t = useTranslations("settings.totpPolicy");
  const tc = useTranslations("common");
  const roleName = useRoleName();
  const isAdmin = useCan("user.manage");
  const me = useMe();
  const mine = useQuery({ queryKey: keys.totp(), queryFn: () => api<{ enabled: boolean }>("/api/auth/totp"), enabled: isAdmin });
  const qc = useQueryClient();
  const toast = useToast();
  const policy = useQuery({ queryKey: keys.totpPolicy(), queryFn: () => api<Policy>("/api/auth/totp/policy"), enabled: isAdmin });
  const users = useQuery({ queryKey: keys.users(), queryFn: () => api<{ users: PublicUser[] }>("/api/users"), enabled: isAdmin });
  const [draft, setDraft] = useState<Policy | null>(null);
  useEffect(() => {
    if (policy.data) setDraft(policy.data);
  }, [policy.data]);
  const save = useMutation({
    mutationFn: (p: Policy) => api<Policy>("/api/auth/totp/policy", { method: "PUT", body: p }),
    onSuccess: () => toast(t("saved"), "success"),
    onError: (e) => toast(e.message, "error"),
    onSettled: () => qc.invalidateQueries({ queryKey: ["totp"] }),
  });
  const [resetUser, setResetUser] = useState("");
  const [confirmReset, setConfirmReset] = useState(false);
  const reset = useMutation({
    mutationFn: (id: string) => api(`/api/users/${encodeURIComponent(id)}/totp`, { method: "DELETE" }),
    onSuccess: () => toast(t("resetDone"), "success"),
    onError: (e) => toast(e.message, "error"),
  });
  if (!isAdmin) return null;
  const covers = (p: Policy | null, role: string) => !!p && (p.requireAll || p.roles.includes(role));
  const lockSelf =
    !!draft && !!me.data && mine.data?.enabled === false && covers(draft, me.data.user.role) && !covers(policy.data ?? null, me.data.user.role);
  const dirty = !!draft && !!policy.data && JSON.stringify(draft) !== JSON.stringify(policy.data);
  const resetName = users.data?.users.find((u) => u.id === resetUser)?.username ?? "";

  return (
    <section aria-labelledby="totp-policy-h" className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
      <h2 id="totp-policy-h" className="mb-3 text-lg font-medium">
        {t("title")}
      </h2>
      {!draft ? (
        <p className="text-sm text-slate-500">{tc("loading")}</p>
      ) : (
        <fieldset className="mb-4 flex flex-col gap-2 text-sm">
          <legend className="mb-1 text-slate-600 dark:text-slate-400">{t("legend")}</legend>
          <label className="flex items-center gap-2">
            <input type="checkbox" checked={draft.requireAll} onChange={(e) => setDraft({ ...draft, requireAll: e.target.checked })} />
            {t("requireAll")}
          </label>
          {ROLES.map((r) => (
            <label key={r} className="flex items-center gap-2">
              <input
                type="checkbox"
                disabled={draft.requireAll}
                checked={draft.requireAll || draft.roles.includes(r)}
                onChange={(e) => setDraft({ ...draft, roles: e.target.checked ? [...draft.roles, r] : draft.roles.filter((x) => x !== r) })}
              />
              {t("requireRole", { role: roleName(r) })}
            </label>
          ))}
          {lockSelf && (
            <p role="note" className="text-amber-700 dark:text-amber-400">
              {t("coversYou")}
            </p>
          )}
          <div>
            <Button onClick={() => save.mutate(draft)} disabled={!dirty || save.isPending}>
              {t("save")}
            </Button>
          </div>
        </fieldset>
      )}
      <div className="flex flex-wrap items-end gap-2 text-sm">
        <div className="flex flex-col gap-1">
          <label htmlFor="totp-reset-user" className="font-medium">
            {t("resetLabel")}
          </label>
          <select
            id="totp-reset-user"
            value={resetUser}
            onChange={(e) => setResetUser(e.target.value)}
            className="rounded border border-slate-300 bg-white px-3 py-2 dark:border-slate-700 dark:bg-slate-900"
          >
            <option value="">{t("chooseUser")}</option>
            {users.data?.users.map((u) => (
              <option key={u.id} value={u.id}>
                {u.username}
              </option>
            ))}
          </select>
        </div>
        <Button variant="danger" disabled={!resetUser || reset.isPending} onClick={() => setConfirmReset(true)}>
          {t("reset")}
        </Button>
      </div>
      <ConfirmDialog
        open={confirmReset}
        title={t("resetTitle", { name: resetName })}
        confirmLabel={t("reset")}
        danger
        onCancel={() => setConfirmReset(false)}
        onConfirm={() => {
          reset.mutate(resetUser);
          setConfirmReset(false);
        }}
      >
        {t("resetBody")}
      </ConfirmDialog>
    </section>
  );
}
