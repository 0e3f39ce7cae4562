// The two rules every change of rights obeys (issue 14): a user grants only what they hold
// themselves, on the scope they grant it on; and Hangar always keeps one enabled user who
// holds every permission fleet-wide (a "full admin"), whatever is removed or demoted.
// Used by the users, groups, custom roles and assignments verbs.
import { z } from "zod";
import type { Services } from "../services";
import type { User } from "../db/client";
import { ApiError } from "../http/errors";
import { closeRevokedConsoles } from "../consoles/rights-watch";
import { rolePermissions } from "../auth/access";
import { GLOBAL_ONLY, type Resource } from "../../protocol/access";
import { TagName } from "../../protocol/tags";
import { PERMISSIONS, type Permission } from "../../protocol/roles";

export const ScopeBody = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("global") }),
  z.strictObject({ type: z.literal("host"), id: z.string().min(1).max(64) }),
  z.strictObject({ type: z.literal("vm"), id: z.string().uuid("a VM UUID") }),
  z.strictObject({ type: z.literal("tag"), id: TagName }),
]);
export type ScopeBody = z.output<typeof ScopeBody>;

/**
 * After a write to assignments, groups, roles or tags: the new snapshot, and open consoles
 * whose user no longer holds what opened them are closed (as a role change does).
 */
export async function reloadAccess(svc: Services): Promise<number> {
  await svc.access.reload();
  // The reload's change listener re-checks open consoles too (for changes made by another
  // process); awaiting the same check here means the answer leaves only once they are closed.
  return closeRevokedConsoles(svc.access, svc.consoles);
}

/** 404 naming scope.id when the scope's host or VM is unknown (a new assignment must name a real one). */
export async function assertScopeExists(svc: Services, scope: ScopeBody): Promise<void> {
  if (scope.type === "host" && !(await svc.db.host.findUnique({ where: { id: scope.id }, select: { id: true } })))
    throw new ApiError("not_found", `No host ${scope.id}`, { "scope.id": "unknown host" });
  if (scope.type === "vm" && !svc.hub.machines().some((r) => r.uuid === scope.id))
    throw new ApiError("not_found", `No VM ${scope.id}`, { "scope.id": "unknown VM" });
}

/** The object a grant on a host or VM scope is checked on; a VM's host is its row's, when reported. */
function scopeResource(svc: Services, scope: ScopeBody): Resource | undefined {
  if (scope.type === "host") return { type: "host", id: scope.id };
  if (scope.type !== "vm") return undefined;
  const m = svc.hub.machines().find((r) => r.uuid === scope.id);
  return { type: "vm", id: scope.id, hostId: m?.hostId };
}

/** The permissions of `perms` the actor does not hold on `scope` (empty: they may grant them there). */
export function missingToGrant(svc: Services, actor: User, perms: readonly Permission[], scope: ScopeBody): Permission[] {
  const r = scopeResource(svc, scope);
  const g = svc.access.grants(actor);
  return perms.filter((p) => {
    if (svc.access.can(actor, p)) return false;
    // A fleet-only permission in a role given on a host, VM or tag conveys nothing there.
    if (scope.type !== "global" && GLOBAL_ONLY.has(p)) return false;
    if (scope.type === "tag") return !g.tags.get(scope.id)?.has(p);
    return scope.type === "global" || !svc.access.can(actor, p, r);
  });
}

/** 403 naming the permissions the actor would hand out without holding them there. */
export function assertCanGrant(svc: Services, actor: User, role: string, scope: ScopeBody): void {
  const perms = rolePermissions(role, svc.access.snapshot.customRoles);
  const missing = missingToGrant(svc, actor, perms, scope);
  if (missing.length)
    throw new ApiError("forbidden", `You can grant only what you hold: you lack ${missing.join(", ")} ${scopeLabel(scope)}`, {
      role: `lacks ${missing.join(", ")}`,
    });
}

export function scopeLabel(scope: ScopeBody): string {
  return scope.type === "global" ? "fleet-wide" : `on ${scope.type} ${scope.id}`;
}

/**
 * What a change would do, for `assertAdminRemains`: the rows it removes or rewrites. Each
 * verb describes its own change; the check recomputes who is a full admin afterwards.
 */
export interface RightsChange {
  userRole?: { userId: string; role: string };
  disableUser?: string;
  deleteUser?: string;
  deleteAssignment?: string;
  deleteMember?: { groupId: string; userId: string };
  deleteGroup?: string;
  customRole?: { id: string; permissions: Permission[] };
}

/** The enabled users who hold every permission fleet-wide after `change`. */
export async function fullAdminsAfter(svc: Services, change: RightsChange): Promise<string[]> {
  const [users, assignments, members] = await Promise.all([
    svc.db.user.findMany({ where: { disabledAt: null }, select: { id: true, role: true } }),
    svc.db.roleAssignment.findMany({ where: { scopeType: "global" }, select: { id: true, userId: true, groupId: true, role: true } }),
    svc.db.groupMember.findMany({ select: { groupId: true, userId: true } }),
  ]);
  const custom = new Map(svc.access.snapshot.customRoles);
  if (change.customRole) custom.set(change.customRole.id, change.customRole.permissions);
  const live = assignments.filter((a) => a.id !== change.deleteAssignment && a.groupId !== change.deleteGroup);
  const groupsOf = new Map<string, Set<string>>();
  for (const m of members) {
    if (m.groupId === change.deleteGroup) continue;
    if (change.deleteMember && m.groupId === change.deleteMember.groupId && m.userId === change.deleteMember.userId) continue;
    (groupsOf.get(m.userId) ?? groupsOf.set(m.userId, new Set()).get(m.userId)!).add(m.groupId);
  }
  const full: string[] = [];
  for (const u of users) {
    if (u.id === change.disableUser || u.id === change.deleteUser) continue;
    const role = change.userRole?.userId === u.id ? change.userRole.role : u.role;
    const held = new Set<Permission>(rolePermissions(role, custom));
    const mine = groupsOf.get(u.id);
    for (const a of live) if (a.userId === u.id || (a.groupId && mine?.has(a.groupId))) for (const p of rolePermissions(a.role, custom)) held.add(p);
    if (PERMISSIONS.every((p) => held.has(p))) full.push(u.id);
  }
  return full;
}

/** 409 when `change` would leave nobody enabled who holds every permission fleet-wide. */
export async function assertAdminRemains(svc: Services, change: RightsChange, field: string): Promise<void> {
  if ((await fullAdminsAfter(svc, change)).length === 0)
    throw new ApiError(
      "conflict",
      "Hangar needs at least one admin (an enabled user holding every permission fleet-wide): make someone else admin first",
      {
        [field]: "last admin",
      },
    );
}
