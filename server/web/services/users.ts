// Team accounts: admins add users with a role, change roles and remove users. A role
// change takes effect at once: REST re-reads the user per request, and open consoles the
// new role no longer allows are closed. The last admin cannot be demoted or removed.
// Disabling a user revokes their sessions (their sockets close at once) and refuses their
// sign-in until re-enabled; the last enabled admin cannot be disabled, demoted or removed
// (a full admin: every permission fleet-wide, by role or assignment; ./access-rules.ts).
// Role "none" leaves only what role assignments give. A role is granted only by one who holds it.
import { z } from "zod";
import { audit } from "../audit";
import { ApiError } from "../http/errors";
import type { Services } from "../services";
import { NewPasswordSchema, publicUser, UsernameSchema } from "../auth/accounts";
import { hashPassword } from "../auth/passwords";
import { ROLES } from "../auth/permissions";
import type { Caller } from "./caller";
import { assertAdminRemains, assertCanGrant, reloadAccess } from "./access-rules";

/** A built-in role, or "none": no fleet-wide rights, only what role assignments give (issue 14). */
export const RoleSchema = z.enum([...ROLES, "none"]);
export const NewUserBody = z.strictObject({ username: UsernameSchema, password: NewPasswordSchema, role: RoleSchema });
export const UserPatchBody = z.strictObject({ role: RoleSchema });
export const UserStatusBody = z.strictObject({ disabled: z.boolean() });

export async function listUsers(svc: Services) {
  const rows = await svc.db.user.findMany({ orderBy: { username: "asc" } });
  return rows.map(publicUser);
}

export async function createUser(svc: Services, { user: actor, ip }: Caller, body: z.output<typeof NewUserBody>) {
  if (await svc.db.user.findUnique({ where: { username: body.username } }))
    throw new ApiError("conflict", `A user named ${body.username} already exists`, { username: "already taken" });
  assertCanGrant(svc, actor, body.role, { type: "global" });
  const user = await svc.db.user.create({ data: { username: body.username, passwordHash: await hashPassword(body.password), role: body.role } });
  await audit(svc.db, {
    actor: actor.username,
    userId: actor.id,
    action: "user.create",
    target: `${user.username} (${body.role})`,
    outcome: "success",
    ip,
  });
  return publicUser(user);
}

export async function setDisabled(svc: Services, { user: actor, ip }: Caller, userId: string, disabled: boolean) {
  const target = await svc.db.user.findUnique({ where: { id: userId } });
  if (!target) throw new ApiError("not_found", `No user ${userId}`, { id: "unknown user" });
  if (disabled && target.id === actor.id) throw new ApiError("conflict", "You cannot disable your own account", { disabled: "yourself" });
  // A disabled admin does not keep Hangar administrable.
  if (disabled) await assertAdminRemains(svc, { disableUser: userId }, "disabled");
  if (!!target.disabledAt === disabled) return publicUser(target);
  const updated = await svc.db.user.update({ where: { id: userId }, data: { disabledAt: disabled ? new Date() : null } });
  // After the flag is written: a request racing this sees either a revoked session or a
  // disabled user (sessions.validate checks both), never a live one.
  const revoked = disabled ? await svc.sessions.revokeAllForUser(userId) : 0;
  // Other server processes (and every open socket here) re-check this account.
  await svc.access.reload();
  await audit(svc.db, {
    actor: actor.username,
    userId: actor.id,
    action: disabled ? "user.disable" : "user.enable",
    target: target.username,
    outcome: "success",
    ip,
    details: disabled ? { sessionsRevoked: revoked } : {},
  });
  return publicUser(updated);
}

export async function setRole(svc: Services, { user: actor, ip }: Caller, userId: string, role: z.output<typeof RoleSchema>) {
  const target = await svc.db.user.findUnique({ where: { id: userId } });
  if (!target) throw new ApiError("not_found", `No user ${userId}`, { id: "unknown user" });
  assertCanGrant(svc, actor, role, { type: "global" });
  await assertAdminRemains(svc, { userRole: { userId, role } }, "role");
  const updated = await svc.db.user.update({ where: { id: userId }, data: { role } });
  const closed = svc.consoles.closeForbidden((v) => v.userId !== userId || svc.access.can({ id: userId, role }, v.permission, v.resource));
  // Event sockets take the new role (dropping metric series it no longer reads); other processes follow.
  await svc.access.reload();
  await audit(svc.db, {
    actor: actor.username,
    userId: actor.id,
    action: "user.role",
    target: `${target.username}: ${target.role} → ${role}`,
    outcome: "success",
    ip,
    details: { consolesClosed: closed },
  });
  return publicUser(updated);
}

export async function deleteUser(svc: Services, { user: actor, ip }: Caller, userId: string): Promise<void> {
  const target = await svc.db.user.findUnique({ where: { id: userId } });
  if (!target) throw new ApiError("not_found", `No user ${userId}`, { id: "unknown user" });
  if (target.id === actor.id) throw new ApiError("conflict", "You cannot remove your own account", { id: "yourself" });
  await assertAdminRemains(svc, { deleteUser: userId }, "id");
  // Sessions first, so every open socket of theirs closes; tasks and audit keep the history.
  await svc.sessions.revokeAllForUser(userId);
  await svc.db.user.delete({ where: { id: userId } });
  // Their assignments and memberships went with them (cascade): out of the snapshot too.
  await reloadAccess(svc);
  await audit(svc.db, { actor: actor.username, userId: actor.id, action: "user.delete", target: target.username, outcome: "success", ip });
}
