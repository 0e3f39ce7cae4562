"use client";
// Groups of users (user.manage): create, rename, delete with confirmation, add and remove
// members. What a group may do is given on the Access panel.
import { useState, type FormEvent } from "react";
import { useTranslations } from "next-intl";
import { api, ApiClientError } from "../lib/api";
import { useAccessWrite, useGroups, useUsers, type GroupRow } from "../lib/access";
import { useCan } from "../lib/queries";
import { Button, EmptyState, Field } from "../ui/form";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { useToast } from "../ui/toasts";
import { Panel, SELECT } from "./panel";

export function GroupsPanel() {
  const t = useTranslations("settings.groups");
  const tc = useTranslations("common");
  const canManage = useCan("user.manage");
  const groups = useGroups(canManage);
  const users = useUsers(canManage);
  const toast = useToast();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [confirm, setConfirm] = useState<GroupRow | null>(null);
  const create = useAccessWrite((b: { name: string; description: string }) => api("/api/groups", { method: "POST", body: b }));
  const remove = useAccessWrite((id: string) => api(`/api/groups/${encodeURIComponent(id)}`, { method: "DELETE" }));
  const addMember = useAccessWrite(({ group, userId }: { group: string; userId: string }) =>
    api(`/api/groups/${encodeURIComponent(group)}/members`, { method: "POST", body: { userId } }),
  );
  const removeMember = useAccessWrite(({ group, userId }: { group: string; userId: string }) =>
    api(`/api/groups/${encodeURIComponent(group)}/members/${encodeURIComponent(userId)}`, { method: "DELETE" }),
  );
  if (!canManage) return null;
  const fail = (e: Error) => toast(e.message, "error");

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    setErrors({});
    create.mutate(
      { name: String(f.get("name") ?? ""), description: String(f.get("description") ?? "") },
      {
        onSuccess: () => (form.reset(), toast(t("created"), "success")),
        onError: (err) => setErrors(err instanceof ApiClientError ? { ...err.fields, form: err.message } : { form: err.message }),
      },
    );
  };
  const list = groups.data?.groups ?? [];
  return (
    <Panel id="groups" title={t("title")}>
      {groups.error && <p className="text-sm text-red-600">{groups.error.message}</p>}
      {!groups.isPending && !list.length && <EmptyState title={t("emptyTitle")}>{t("empty")}</EmptyState>}
      <ul className="mb-4 flex flex-col gap-3" aria-label={t("title")}>
        {list.map((g) => (
          <li key={g.id} data-testid="group-row" data-group={g.name} className="rounded border border-slate-100 p-3 dark:border-slate-800">
            <div className="flex items-center gap-2">
              <strong>{g.name}</strong>
              {g.description && <span className="text-sm text-slate-500">{g.description}</span>}
              <span className="ml-auto text-xs text-slate-500">{t("assignments", { count: g.assignments })}</span>
              <Button variant="danger" onClick={() => setConfirm(g)}>
                {tc("actions.delete")}
              </Button>
            </div>
            <ul className="mt-2 flex flex-wrap items-center gap-1" aria-label={t("members", { name: g.name })}>
              {g.members.map((m) => (
                <li key={m.id} className="flex items-center gap-1 rounded bg-slate-100 px-2 py-0.5 text-xs dark:bg-slate-800">
                  {m.username}
                  <button
                    type="button"
                    aria-label={t("removeMember", { user: m.username, group: g.name })}
                    className="rounded px-1 text-slate-500 hover:bg-slate-200 dark:hover:bg-slate-700"
                    onClick={() => removeMember.mutate({ group: g.id, userId: m.id }, { onError: fail })}
                  >
                    ×
                  </button>
                </li>
              ))}
              {!g.members.length && <li className="text-xs text-slate-500">{t("noMembers")}</li>}
              <li>
                <select
                  aria-label={t("addMember", { name: g.name })}
                  className={`${SELECT} py-0.5 text-xs`}
                  value=""
                  onChange={(e) => e.target.value && addMember.mutate({ group: g.id, userId: e.target.value }, { onError: fail })}
                >
                  <option value="">{t("addMemberOption")}</option>
                  {users.data?.users
                    .filter((u) => !g.members.some((m) => m.id === u.id))
                    .map((u) => (
                      <option key={u.id} value={u.id}>
                        {u.username}
                      </option>
                    ))}
                </select>
              </li>
            </ul>
          </li>
        ))}
      </ul>
      <form onSubmit={submit} noValidate className="grid items-end gap-2 md:grid-cols-3" aria-label={t("new")}>
        <Field label={t("name")} id="group-name" name="name" autoComplete="off" error={errors.name} />
        <Field label={t("description")} id="group-description" name="description" autoComplete="off" error={errors.description} />
        <Button type="submit" disabled={create.isPending}>
          {t("create")}
        </Button>
        {errors.form && <p className="text-sm text-red-600 md:col-span-3">{errors.form}</p>}
      </form>
      <ConfirmDialog
        open={!!confirm}
        title={t("deleteTitle", { name: confirm?.name ?? "" })}
        confirmLabel={t("deleteConfirm")}
        danger
        onCancel={() => setConfirm(null)}
        onConfirm={() => (confirm && remove.mutate(confirm.id, { onError: fail }), setConfirm(null))}
      >
        {t("deleteBody", { count: confirm?.assignments ?? 0 })}
      </ConfirmDialog>
    </Panel>
  );
}
