"use client";
// Roles (user.manage): the three built-in ones, read-only, and custom roles made of
// permission checkboxes: create, change, delete (refused while assigned: the message says
// how often). A role gives nothing until assigned on the Access panel.
import { useId, useState, type FormEvent } from "react";
import { useTranslations } from "next-intl";
import { PERMISSIONS, type Permission } from "@/server/protocol/roles";
import { api, ApiClientError } from "../lib/api";
import { useAccessWrite, useRoles, type RoleRow } from "../lib/access";
import { useCan } from "../lib/queries";
import { Button, Field } from "../ui/form";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { useToast } from "../ui/toasts";
import { Panel } from "./panel";
import { useRoleName } from "./role-name";

type Body = { name: string; description: string; permissions: Permission[] };

export function RolesPanel() {
  const t = useTranslations("settings.roles");
  const tc = useTranslations("common");
  const roleName = useRoleName();
  const canManage = useCan("user.manage");
  const roles = useRoles(canManage);
  const toast = useToast();
  const [editing, setEditing] = useState<RoleRow | null>(null);
  const [confirm, setConfirm] = useState<RoleRow | null>(null);
  const remove = useAccessWrite((id: string) => api(`/api/roles/${encodeURIComponent(id)}`, { method: "DELETE" }));
  if (!canManage) return null;
  return (
    <Panel id="roles" title={t("title")}>
      <table className="mb-4 w-full text-left text-sm" aria-label={t("title")}>
        <thead className="text-slate-500">
          <tr>
            <th className="py-2">{t("role")}</th>
            <th>{t("permissions")}</th>
            <th>{t("assigned")}</th>
            <th className="sr-only">{t("actions")}</th>
          </tr>
        </thead>
        <tbody>
          {roles.data?.roles.map((r) => (
            <tr key={r.id} data-testid="role-row" data-role={r.name} className="border-t border-slate-100 align-top dark:border-slate-800">
              <td className="py-2 pr-2">
                {r.builtIn ? roleName(r.name) : r.name}
                {r.builtIn && <span className="ml-1 text-xs text-slate-500">{t("builtIn")}</span>}
              </td>
              <td className="py-2 text-xs text-slate-600 dark:text-slate-400">{r.permissions.join(", ")}</td>
              <td className="py-2">{r.assignments}</td>
              <td className="flex justify-end gap-2 py-1">
                {!r.builtIn && (
                  <>
                    <Button variant="secondary" onClick={() => setEditing(r)}>
                      {tc("actions.edit")}
                    </Button>
                    <Button variant="danger" onClick={() => setConfirm(r)}>
                      {tc("actions.delete")}
                    </Button>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {editing ? <RoleForm key={editing.id} role={editing} onDone={() => setEditing(null)} /> : <RoleForm key="new" onDone={() => undefined} />}
      <ConfirmDialog
        open={!!confirm}
        title={t("deleteTitle", { name: confirm?.name ?? "" })}
        confirmLabel={t("deleteConfirm")}
        danger
        onCancel={() => setConfirm(null)}
        onConfirm={() => (confirm && remove.mutate(confirm.id, { onError: (e) => toast(e.message, "error") }), setConfirm(null))}
      >
        {t("deleteBody")}
      </ConfirmDialog>
    </Panel>
  );
}

/** New role (no `role`) or changes to one: name, description, permission checkboxes. */
function RoleForm({ role, onDone }: { role?: RoleRow; onDone: () => void }) {
  const t = useTranslations("settings.roles");
  const tc = useTranslations("common");
  const toast = useToast();
  // Field ids are unique on the page (the Groups panel and the token dialog have a "name" too).
  const idPrefix = `role-${useId().replace(/[^a-zA-Z0-9_-]/g, "")}`;
  const [errors, setErrors] = useState<Record<string, string>>({});
  const save = useAccessWrite((b: Body) =>
    role ? api(`/api/roles/${encodeURIComponent(role.id)}`, { method: "PATCH", body: b }) : api("/api/roles", { method: "POST", body: b }),
  );
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    setErrors({});
    save.mutate(
      {
        name: String(f.get("name") ?? ""),
        description: String(f.get("description") ?? ""),
        permissions: f.getAll("permission").map(String) as Permission[],
      },
      {
        onSuccess: () => {
          toast(role ? t("saved") : t("created"), "success");
          if (!role) form.reset();
          onDone();
        },
        onError: (err) => setErrors(err instanceof ApiClientError ? { ...err.fields, form: err.message } : { form: err.message }),
      },
    );
  };
  return (
    <form onSubmit={submit} noValidate className="flex flex-col gap-2" aria-label={role ? t("editRole", { name: role.name }) : t("newRole")}>
      <h3 className="font-medium">{role ? t("editHeading", { name: role.name }) : t("newHeading")}</h3>
      <div className="grid gap-2 md:grid-cols-2">
        <Field label={t("name")} id={`${idPrefix}-name`} name="name" autoComplete="off" defaultValue={role?.name} error={errors.name} />
        <Field
          label={t("description")}
          id={`${idPrefix}-description`}
          name="description"
          autoComplete="off"
          defaultValue={role?.description}
          error={errors.description}
        />
      </div>
      <fieldset className="grid gap-1 text-sm sm:grid-cols-3 md:grid-cols-4">
        <legend className="mb-1 text-sm font-medium">{t("permissions")}</legend>
        {PERMISSIONS.map((p) => (
          <label key={p} className="flex items-center gap-2">
            <input type="checkbox" name="permission" value={p} defaultChecked={role?.permissions.includes(p)} />
            {p}
          </label>
        ))}
      </fieldset>
      {errors.permissions && <p className="text-sm text-red-600">{errors.permissions}</p>}
      <div className="flex gap-2">
        <Button type="submit" disabled={save.isPending}>
          {role ? t("save") : t("create")}
        </Button>
        {role && (
          <Button variant="secondary" onClick={onDone}>
            {tc("actions.cancel")}
          </Button>
        )}
      </div>
      {errors.form && <p className="text-sm text-red-600">{errors.form}</p>}
    </form>
  );
}
