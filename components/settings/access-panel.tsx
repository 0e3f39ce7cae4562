"use client";
// Role assignments (user.manage): who (a user or a group) gets which role where (everything,
// a host, one VM or a tag). Rights are the union of what covers a resource. Removing one
// asks first; the server refuses what would leave no full admin, or grants more than you hold.
import { useState, type FormEvent } from "react";
import { api, ApiClientError } from "../lib/api";
import { useAccessWrite, useAssignments, useGroups, useRoles, useTagNames, useUsers, type AssignmentRow, type Scope } from "../lib/access";
import { useHosts, useMachines } from "../lib/resources";
import { useCan } from "../lib/queries";
import { Button, EmptyState } from "../ui/form";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { useToast } from "../ui/toasts";
import { Panel, SELECT } from "./panel";

type ScopeType = Scope["type"];

export function AccessPanel() {
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
    s.type === "global" ? "everything" : s.type === "host" ? `host ${hostName(s.id)}` : s.type === "vm" ? `VM ${vmName(s.id)}` : `tag ${s.id}`;
  const rows = list.data?.assignments ?? [];
  return (
    <Panel id="access" title="Access">
      {list.error && <p className="text-sm text-red-600">{list.error.message}</p>}
      {!list.isPending && !rows.length ? (
        <EmptyState title="No role assignments">
          Everyone has only their account&apos;s role. Give a user or a group a role on a host, a VM or a tag below.
        </EmptyState>
      ) : (
        <table className="mb-4 w-full text-left text-sm" aria-label="Role assignments">
          <thead className="text-slate-500">
            <tr>
              <th className="py-2">Who</th>
              <th>Role</th>
              <th>On</th>
              <th className="sr-only">Actions</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((a) => (
              <tr key={a.id} data-testid="assignment-row" className="border-t border-slate-100 dark:border-slate-800">
                <td className="py-2">
                  {a.subject.type === "group" ? "group " : ""}
                  {a.subject.name}
                </td>
                <td>{a.roleName}</td>
                <td>{where(a.scope)}</td>
                <td className="flex justify-end py-1">
                  <Button
                    variant="danger"
                    onClick={() => setConfirm(a)}
                    aria-label={`Remove ${a.roleName} of ${a.subject.name} on ${where(a.scope)}`}
                  >
                    Remove
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
        title={`Remove ${confirm?.roleName ?? ""} of ${confirm?.subject.name ?? ""}?`}
        confirmLabel="Remove assignment"
        danger
        onCancel={() => setConfirm(null)}
        onConfirm={() => (confirm && remove.mutate(confirm.id, { onError: (e) => toast(e.message, "error") }), setConfirm(null))}
      >
        {confirm && `What it gives on ${where(confirm.scope)} ends with the next request.`}
      </ConfirmDialog>
    </Panel>
  );
}

function NewAssignment() {
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
        onSuccess: () => toast("Role assigned", "success"),
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
    <form onSubmit={submit} noValidate aria-label="New role assignment" className="flex flex-col gap-2">
      <h3 className="font-medium">Assign a role</h3>
      <div className="flex flex-wrap items-end gap-2">
        <label className={label}>
          Who
          <select
            aria-label="Subject type"
            className={SELECT}
            value={subjectType}
            onChange={(e) => setSubjectType(e.target.value as "user" | "group")}
          >
            <option value="group">group</option>
            <option value="user">user</option>
          </select>
        </label>
        <label className={label}>
          {subjectType === "user" ? "User" : "Group"}
          <select name="subject" aria-label={subjectType === "user" ? "User" : "Group"} className={SELECT} key={subjectType}>
            {subjects.map(([id, name]) => (
              <option key={id} value={id}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <label className={label}>
          Role
          <select name="role" aria-label="Role" className={SELECT}>
            {roles.data?.roles.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </select>
        </label>
        <label className={label}>
          On
          <select aria-label="Scope type" className={SELECT} value={scopeType} onChange={(e) => setScopeType(e.target.value as ScopeType)}>
            <option value="tag">a tag</option>
            <option value="host">a host</option>
            <option value="vm">one VM</option>
            <option value="global">everything</option>
          </select>
        </label>
        {scopeType === "host" && (
          <label className={label}>
            Host
            <select name="scopeId" aria-label="Host" className={SELECT}>
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
            VM
            <select name="scopeId" aria-label="VM" className={SELECT}>
              {machines.data?.rows.map((m) => (
                <option key={`${m.hostId}/${m.uuid}`} value={m.uuid}>
                  {m.name} ({m.hostName})
                </option>
              ))}
            </select>
          </label>
        )}
        {scopeType === "tag" && (
          <label className={label}>
            Tag
            <input name="scopeId" aria-label="Tag" list="assignment-tags" autoComplete="off" placeholder="e.g. web" className={SELECT} />
            <datalist id="assignment-tags">
              {tags.data?.tags.map((t) => (
                <option key={t.name} value={t.name} />
              ))}
            </datalist>
          </label>
        )}
        <Button type="submit" disabled={create.isPending || !subjects.length}>
          Assign
        </Button>
      </div>
      {!subjects.length && <p className="text-sm text-slate-500">No {subjectType === "user" ? "users" : "groups"} yet.</p>}
      {(errors["scope.id"] || errors["subject.id"] || errors.role) && (
        <p className="text-sm text-red-600">{[errors["subject.id"], errors.role, errors["scope.id"]].filter(Boolean).join("; ")}</p>
      )}
      {errors.form && <p className="text-sm text-red-600">{errors.form}</p>}
    </form>
  );
}
