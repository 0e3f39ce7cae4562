"use client";
// Role assignments (user.manage): who (a user or a group) gets which role where (everything,
// a host, one VM or a tag). Rights are the union of what covers a resource. Removing one
// asks first; the server refuses what would leave no full admin, or grants more than you hold.
import { useState, type FormEvent } from "react";
import { useTranslations } from "next-intl";
import { api, ApiClientError } from "../lib/api";
import { useAccessWrite, useAssignments, useGroups, useRoles, useTagNames, useUsers, type AssignmentRow, type Scope } from "../lib/access";
import { useHosts, useMachines } from "../lib/resources";
import { useCan } from "../lib/queries";
import { Button, EmptyState } from "../ui/form";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { useToast } from "../ui/toasts";
import { Panel, SELECT } from "./panel";
import { useRoleName } from "./role-name";

type ScopeType = Scope["type"];

export function AccessPanel() {
  const t = useTranslations("settings.access");
  const roleName = useRoleName();
  const canManage = useCan("user.manage");
  const list = useAssignments(canManage);
  const hosts = useHosts();
  const machines = useMachines();
  const toast = useToast();
  const [confirm, setConfirm] = useState<AssignmentRow | null>(null);
  const remove = useAccessWrite((id: string) => api(`/api/assignments/${encodeURIComponent(id)}`, { method: "DELETE" }));
  if (!canManage) return null;
  const hostName = (id: string) => hosts.data?.hosts.find((h) => h.id === id)?.name ?? id;
  const vmName = (id: string) => machines.data?.rows.find((m) => m.uuid === id)?.name ?? id;
  const where = (s: Scope) =>
    s.type === "global"
      ? t("scope.global")
      : s.type === "host"
        ? t("scope.host", { name: hostName(s.id) })
        : s.type === "vm"
          ? t("scope.vm", { name: vmName(s.id) })
          : t("scope.tag", { name: s.id });
  const rows = list.data?.assignments ?? [];
  return (
    <Panel id="access" title={t("title")}>
      {list.error && <p className="text-sm text-red-600">{list.error.message}</p>}
      {!list.isPending && !rows.length ? (
        <EmptyState title={t("emptyTitle")}>{t("empty")}</EmptyState>
      ) : (
        <table className="mb-4 w-full text-left text-sm" aria-label={t("table")}>
          <thead className="text-slate-500">
            <tr>
              <th className="py-2">{t("who")}</th>
              <th>{t("role")}</th>
              <th>{t("on")}</th>
              <th className="sr-only">{t("actions")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((a) => (
              <tr key={a.id} data-testid="assignment-row" className="border-t border-slate-100 dark:border-slate-800">
                <td className="py-2">{a.subject.type === "group" ? t("subjectGroup", { name: a.subject.name }) : a.subject.name}</td>
                <td>{roleName(a.roleName)}</td>
                <td>{where(a.scope)}</td>
                <td className="flex justify-end py-1">
                  <Button
                    variant="danger"
                    onClick={() => setConfirm(a)}
                    aria-label={t("removeLabel", { role: roleName(a.roleName), name: a.subject.name, scope: where(a.scope) })}
                  >
                    {t("remove")}
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <NewAssignment />
      <ConfirmDialog
        open={!!confirm}
        title={t("removeTitle", { role: roleName(confirm?.roleName ?? ""), name: confirm?.subject.name ?? "" })}
        confirmLabel={t("removeConfirm")}
        danger
        onCancel={() => setConfirm(null)}
        onConfirm={() => (confirm && remove.mutate(confirm.id, { onError: (e) => toast(e.message, "error") }), setConfirm(null))}
      >
        {confirm && t("removeBody", { scope: where(confirm.scope) })}
      </ConfirmDialog>
    </Panel>
  );
}

function NewAssignment() {
  const t = useTranslations("settings.access");
  const roleName = useRoleName();
  const users = useUsers();
  const groups = useGroups();
  const roles = useRoles();
  const hosts = useHosts();
  const machines = useMachines();
  const tags = useTagNames();
  const toast = useToast();
  const [subjectType, setSubjectType] = useState<"user" | "group">("group");
  const [scopeType, setScopeType] = useState<ScopeType>("tag");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const create = useAccessWrite((b: { subject: { type: string; id: string }; role: string; scope: Scope }) =>
    api("/api/assignments", { method: "POST", body: b }),
  );
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const id = String(f.get("scopeId") ?? "").trim();
    const scope: Scope = scopeType === "global" ? { type: "global" } : { type: scopeType, id };
    setErrors({});
    create.mutate(
      { subject: { type: subjectType, id: String(f.get("subject") ?? "") }, role: String(f.get("role") ?? ""), scope },
      {
        onSuccess: () => toast(t("assigned"), "success"),
        onError: (err) => setErrors(err instanceof ApiClientError ? { ...err.fields, form: err.message } : { form: err.message }),
      },
    );
  };
  const subjects =
    subjectType === "user"
      ? (users.data?.users ?? []).map((u) => [u.id, u.username] as const)
      : (groups.data?.groups ?? []).map((g) => [g.id, g.name] as const);
  const label = "flex flex-col gap-1 text-sm font-medium";
  return (
    <form onSubmit={submit} noValidate aria-label={t("new")} className="flex flex-col gap-2">
      <h3 className="font-medium">{t("newHeading")}</h3>
      <div className="flex flex-wrap items-end gap-2">
        <label className={label}>
          {t("who")}
          <select
            aria-label={t("subjectType")}
            className={SELECT}
            value={subjectType}
            onChange={(e) => setSubjectType(e.target.value as "user" | "group")}
          >
            <option value="group">{t("subject.group")}</option>
            <option value="user">{t("subject.user")}</option>
          </select>
        </label>
        <label className={label}>
          {subjectType === "user" ? t("user") : t("group")}
          <select name="subject" aria-label={subjectType === "user" ? t("user") : t("group")} className={SELECT} key={subjectType}>
            {subjects.map(([id, name]) => (
              <option key={id} value={id}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <label className={label}>
          {t("role")}
          <select name="role" aria-label={t("role")} className={SELECT}>
            {roles.data?.roles.map((r) => (
              <option key={r.id} value={r.id}>
                {r.builtIn ? roleName(r.name) : r.name}
              </option>
            ))}
          </select>
        </label>
        <label className={label}>
          {t("on")}
          <select aria-label={t("scopeType")} className={SELECT} value={scopeType} onChange={(e) => setScopeType(e.target.value as ScopeType)}>
            <option value="tag">{t("scopeOption.tag")}</option>
            <option value="host">{t("scopeOption.host")}</option>
            <option value="vm">{t("scopeOption.vm")}</option>
            <option value="global">{t("scopeOption.global")}</option>
          </select>
        </label>
        {scopeType === "host" && (
          <label className={label}>
            {t("host")}
            <select name="scopeId" aria-label={t("host")} className={SELECT}>
              {hosts.data?.hosts.map((h) => (
                <option key={h.id} value={h.id}>
                  {h.name}
                </option>
              ))}
            </select>
          </label>
        )}
        {scopeType === "vm" && (
          <label className={label}>
            {t("vm")}
            <select name="scopeId" aria-label={t("vm")} className={SELECT}>
              {machines.data?.rows.map((m) => (
                <option key={`${m.hostId}/${m.uuid}`} value={m.uuid}>
                  {t("vmOption", { name: m.name, host: m.hostName })}
                </option>
              ))}
            </select>
          </label>
        )}
        {scopeType === "tag" && (
          <label className={label}>
            {t("tag")}
            <input
              name="scopeId"
              aria-label={t("tag")}
              list="assignment-tags"
              autoComplete="off"
              placeholder={t("tagPlaceholder")}
              className={SELECT}
            />
            <datalist id="assignment-tags">
              {tags.data?.tags.map((t) => (
                <option key={t.name} value={t.name} />
              ))}
            </datalist>
          </label>
        )}
        <Button type="submit" disabled={create.isPending || !subjects.length}>
          {t("assign")}
        </Button>
      </div>
      {!subjects.length && <p className="text-sm text-slate-500">{subjectType === "user" ? t("noUsers") : t("noGroups")}</p>}
      {(errors["scope.id"] || errors["subject.id"] || errors.role) && (
        <p className="text-sm text-red-600">{[errors["subject.id"], errors.role, errors["scope.id"]].filter(Boolean).join("; ")}</p>
      )}
      {errors.form && <p className="text-sm text-red-600">{errors.form}</p>}
    </form>
  );
}
