// Groups of users (issue 14): a role assignment to a group covers every member. Managing
// them needs user.manage fleet-wide (the routes). Adding a member hands them the group's
// assignments, so the actor must hold those; removing a member or the group must leave a
// full admin. Every write reloads the access snapshot before answering.
import { z } from "zod";
import type { Services } from "../services";
import { audit } from "../audit";
import { ApiError } from "../http/errors";
import { assertAdminRemains, assertCanGrant, type ScopeBody, reloadAccess } from "./access-rules";
import type { Caller } from "./caller";

const GroupName = z
  .string()
  .trim()
  .min(1, "must not be empty")
  .max(64, "at most 64 characters")
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} ._-]*$/u, "letters, digits, spaces, . _ -");
const Description = z.string().max(500, "at most 500 characters");

export const NewGroupBody = z.strictObject({ name: GroupName, description: Description.default("") });
export const GroupPatchBody = z.strictObject({ name: GroupName.optional(), description: Description.optional() });
export const MemberBody = z.strictObject({ userId: z.string().min(1).max(64) });

async function knownGroup(svc: Services, id: string) {
  const g = await svc.db.group.findUnique({ where: { id } });
  if (!g) throw new ApiError("not_found", `No group ${id}`, { id: "unknown group" });
  return g;
}

async function nameFree(svc: Services, name: string, except?: string) {
  const other = await svc.db.group.findUnique({ where: { name } });
  if (other && other.id !== except) throw new ApiError("conflict", `A group named ${name} already exists`, { name: "already taken" });
}

export async function listGroups(svc: Services) {
  const rows = await svc.db.group.findMany({
    orderBy: { name: "asc" },
    include: { members: { include: { user: { select: { id: true, username: true } } } }, _count: { select: { assignments: true } } },
  });
  return {
    groups: rows.map((g) => ({
      id: g.id,
      name: g.name,
      description: g.description,
      createdAt: g.createdAt.toISOString(),
      assignments: g._count.assignments,
      members: g.members
        .map((m) => ({ id: m.user.id, username: m.user.username, source: m.source }))
        .sort((a, b) => a.username.localeCompare(b.username)),
    })),
  };
}

export async function createGroup(svc: Services, { user: actor, ip }: Caller, body: z.output<typeof NewGroupBody>) {
  await nameFree(svc, body.name);
  const g = await svc.db.group.create({ data: { name: body.name, description: body.description } });
  await audit(svc.db, { actor: actor.username, userId: actor.id, action: "group.create", target: g.name, outcome: "success", ip });
  return { group: { id: g.id, name: g.name, description: g.description } };
}

export async function updateGroup(svc: Services, { user: actor, ip }: Caller, id: string, body: z.output<typeof GroupPatchBody>) {
  const g = await knownGroup(svc, id);
  if (body.name !== undefined) await nameFree(svc, body.name, id);
  const u = await svc.db.group.update({ where: { id }, data: body });
  await audit(svc.db, {
    actor: actor.username,
    userId: actor.id,
    action: "group.update",
    target: g.name === u.name ? u.name : `${g.name} → ${u.name}`,
    outcome: "success",
    ip,
  });
  return { group: { id: u.id, name: u.name, description: u.description } };
}

export async function deleteGroup(svc: Services, { user: actor, ip }: Caller, id: string) {
  const g = await knownGroup(svc, id);
  await assertAdminRemains(svc, { deleteGroup: id }, "id");
  // Members and assignments go with it (cascade).
  await svc.db.group.delete({ where: { id } });
  await reloadAccess(svc);
  await audit(svc.db, { actor: actor.username, userId: actor.id, action: "group.delete", target: g.name, outcome: "success", ip });
}

export async function addMember(svc: Services, { user: actor, ip }: Caller, groupId: string, userId: string) {
  const g = await knownGroup(svc, groupId);
  const u = await svc.db.user.findUnique({ where: { id: userId } });
  if (!u) throw new ApiError("not_found", `No user ${userId}`, { userId: "unknown user" });
  // Joining hands over the group's rights: the actor must hold each of them where it applies.
  const given = await svc.db.roleAssignment.findMany({ where: { groupId } });
  for (const a of given) assertCanGrant(svc, actor, a.role, scopeOf(a));
  await svc.db.groupMember.upsert({ where: { groupId_userId: { groupId, userId } }, create: { groupId, userId }, update: { source: "manual" } });
  await reloadAccess(svc);
  await audit(svc.db, {
    actor: actor.username,
    userId: actor.id,
    action: "group.member.add",
    target: `${u.username} → ${g.name}`,
    outcome: "success",
    ip,
  });
}

export async function removeMember(svc: Services, { user: actor, ip }: Caller, groupId: string, userId: string) {
  const g = await knownGroup(svc, groupId);
  const m = await svc.db.groupMember.findUnique({ where: { groupId_userId: { groupId, userId } }, include: { user: true } });
  if (!m) throw new ApiError("not_found", `User ${userId} is not a member of ${g.name}`, { userId: "not a member" });
  await assertAdminRemains(svc, { deleteMember: { groupId, userId } }, "userId");
  await svc.db.groupMember.delete({ where: { groupId_userId: { groupId, userId } } });
  await reloadAccess(svc);
  await audit(svc.db, {
    actor: actor.username,
    userId: actor.id,
    action: "group.member.remove",
    target: `${m.user.username} ← ${g.name}`,
    outcome: "success",
    ip,
  });
}

/** An assignment row's scope in the shape the grant check takes. */
export function scopeOf(a: { scopeType: string; scopeId: string }): ScopeBody {
  return a.scopeType === "global" ? { type: "global" } : ({ type: a.scopeType, id: a.scopeId } as ScopeBody);
}
