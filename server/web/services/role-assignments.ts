// Role assignments (issue 14): a user or a group gets a role (built-in or custom) on
// everything, a host, a VM or a tag; rights are the union of what covers a resource. The
// actor grants only what they hold on that scope, and removing one must leave a full admin.
import { z } from "zod";
import type { Services } from "../services";
import { audit } from "../audit";
import { ApiError } from "../http/errors";
import { isRole } from "../../protocol/roles";
import { assertAdminRemains, assertCanGrant, assertScopeExists, scopeLabel, ScopeBody, reloadAccess } from "./access-rules";
import { scopeOf } from "./groups";
import type { Caller } from "./caller";

const Id = z.string().min(1).max(64);
export const NewAssignmentBody = z.strictObject({
  subject: z.strictObject({ type: z.enum(["user", "group"]), id: Id }),
  role: Id,
  scope: ScopeBody,
});
export const AssignmentQuery = z.strictObject({ user: Id.optional(), group: Id.optional() });

type Row = NonNullable<Awaited<ReturnType<Services["db"]["roleAssignment"]["findFirst"]>>> & {
  user: { id: string; username: string } | null;
  group: { id: string; name: string } | null;
};

function roleName(svc: Services, role: string, names: Map<string, string>): string {
  return isRole(role) ? role : (names.get(role) ?? role);
}

function publicAssignment(a: Row, names: Map<string, string>, svc: Services) {
  return {
    id: a.id,
    subject: a.user
      ? { type: "user" as const, id: a.user.id, name: a.user.username }
      : { type: "group" as const, id: a.group!.id, name: a.group!.name },
    role: a.role,
    roleName: roleName(svc, a.role, names),
    scope: scopeOf(a),
    createdBy: a.createdBy,
    createdAt: a.createdAt.toISOString(),
  };
}

async function roleNames(svc: Services): Promise<Map<string, string>> {
  return new Map((await svc.db.customRole.findMany({ select: { id: true, name: true } })).map((r) => [r.id, r.name]));
}

const INCLUDE = { user: { select: { id: true, username: true } }, group: { select: { id: true, name: true } } } as const;

/** Every assignment, or those of one user (directly, not via groups) or one group. */
export async function listAssignments(svc: Services, q: z.output<typeof AssignmentQuery>) {
  const rows = await svc.db.roleAssignment.findMany({
    where: { userId: q.user, groupId: q.group },
    include: INCLUDE,
    orderBy: { createdAt: "asc" },
  });
  const names = await roleNames(svc);
  return { assignments: rows.map((a) => publicAssignment(a, names, svc)) };
}

export async function createAssignment(svc: Services, { user: actor, ip }: Caller, body: z.output<typeof NewAssignmentBody>) {
  const { subject, role, scope } = body;
  const who =
    subject.type === "user"
      ? (await svc.db.user.findUnique({ where: { id: subject.id } }))?.username
      : (await svc.db.group.findUnique({ where: { id: subject.id } }))?.name;
  if (!who) throw new ApiError("not_found", `No ${subject.type} ${subject.id}`, { "subject.id": `unknown ${subject.type}` });
  if (!isRole(role) && !(await svc.db.customRole.findUnique({ where: { id: role } })))
    throw new ApiError("not_found", `No role ${role}: a built-in role (admin, operator, viewer) or a custom role's id`, { role: "unknown role" });
  await assertScopeExists(svc, scope);
  assertCanGrant(svc, actor, role, scope);
  const scopeId = scope.type === "global" ? "" : scope.id;
  const subjectKey = `${subject.type}:${subject.id}`;
  if (await svc.db.roleAssignment.findUnique({ where: { subjectKey_role_scopeType_scopeId: { subjectKey, role, scopeType: scope.type, scopeId } } }))
    throw new ApiError("conflict", `${who} already has this role ${scopeLabel(scope)}`, { role: "already assigned" });
  const a = await svc.db.roleAssignment.create({
    data: {
      userId: subject.type === "user" ? subject.id : null,
      groupId: subject.type === "group" ? subject.id : null,
      subjectKey,
      role,
      scopeType: scope.type,
      scopeId,
      createdBy: actor.username,
    },
    include: INCLUDE,
  });
  await reloadAccess(svc);
  const names = await roleNames(svc);
  await audit(svc.db, {
    actor: actor.username,
    userId: actor.id,
    action: "assignment.create",
    target: `${subject.type} ${who}: ${roleName(svc, role, names)} ${scopeLabel(scope)}`,
    outcome: "success",
    ip,
  });
  return { assignment: publicAssignment(a, names, svc) };
}

export async function deleteAssignment(svc: Services, { user: actor, ip }: Caller, id: string) {
  const a = await svc.db.roleAssignment.findUnique({ where: { id }, include: INCLUDE });
  if (!a) throw new ApiError("not_found", `No assignment ${id}`, { id: "unknown assignment" });
  await assertAdminRemains(svc, { deleteAssignment: id }, "id");
  await svc.db.roleAssignment.delete({ where: { id } });
  await reloadAccess(svc);
  const names = await roleNames(svc);
  const p = publicAssignment(a, names, svc);
  await audit(svc.db, {
    actor: actor.username,
    userId: actor.id,
    action: "assignment.delete",
    target: `${p.subject.type} ${p.subject.name}: ${p.roleName} ${scopeLabel(p.scope)}`,
    outcome: "success",
    ip,
  });
}
