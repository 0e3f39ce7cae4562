// Roles (issue 14): the three built-in ones (server/protocol/roles.ts, fixed) and custom
// roles made of a chosen subset of PERMISSIONS. A custom role is assigned by id; deleting
// one that is still assigned is refused, naming how many assignments use it. Writing a role
// is granting it to everyone who holds it, so the actor must hold its permissions
// fleet-wide, and changing one must leave a full admin.
import { z } from "zod";
import type { Services } from "../services";
import { audit } from "../audit";
import { ApiError } from "../http/errors";
import { PERMISSIONS, permissionsOf, ROLES, type Permission } from "../../protocol/roles";
import { assertAdminRemains, missingToGrant, reloadAccess } from "./access-rules";
import type { Caller } from "./caller";

const RoleName = z
  .string()
  .trim()
  .min(1, "must not be empty")
  .max(64, "at most 64 characters")
  .refine((n) => !(ROLES as readonly string[]).includes(n.toLowerCase()) && n.toLowerCase() !== "none", "is a built-in role's name");
const Permissions = z
  .array(z.enum(PERMISSIONS as [Permission, ...Permission[]]))
  .min(1, "pick at least one permission")
  .transform((l) => PERMISSIONS.filter((p) => l.includes(p)));

export const NewRoleBody = z.strictObject({ name: RoleName, description: z.string().max(500).default(""), permissions: Permissions });
export const RolePatchBody = z.strictObject({
  name: RoleName.optional(),
  description: z.string().max(500).optional(),
  permissions: Permissions.optional(),
});

function parse(json: string): Permission[] {
  try {
    const l = JSON.parse(json) as unknown;
    return Array.isArray(l) ? PERMISSIONS.filter((p) => l.includes(p)) : [];
  } catch {
    return [];
  }
}

function publicRole(r: { id: string; name: string; description: string; permissionsJson: string }, assignments: number) {
  return { id: r.id, name: r.name, description: r.description, builtIn: false, permissions: parse(r.permissionsJson), assignments };
}

async function knownRole(svc: Services, id: string) {
  const r = await svc.db.customRole.findUnique({ where: { id } });
  if (!r) throw new ApiError("not_found", `No custom role ${id}`, { id: "unknown role" });
  return r;
}

async function nameFree(svc: Services, name: string, except?: string) {
  const other = await svc.db.customRole.findUnique({ where: { name } });
  if (other && other.id !== except) throw new ApiError("conflict", `A role named ${name} already exists`, { name: "already taken" });
}

function assertHolds(svc: Services, actor: Caller["user"], perms: Permission[]) {
  const missing = missingToGrant(svc, actor, perms, { type: "global" });
  if (missing.length)
    throw new ApiError("forbidden", `You can grant only what you hold: you lack ${missing.join(", ")} fleet-wide`, {
      permissions: `lacks ${missing.join(", ")}`,
    });
}

/** The built-in roles first (id = name), then the custom ones by name, each with how many assignments use it. */
export async function listRoles(svc: Services) {
  const [custom, counts] = await Promise.all([
    svc.db.customRole.findMany({ orderBy: { name: "asc" } }),
    svc.db.roleAssignment.groupBy({ by: ["role"], _count: { role: true } }),
  ]);
  const used = new Map(counts.map((c) => [c.role, c._count.role]));
  return {
    roles: [
      ...ROLES.map((r) => ({ id: r, name: r, description: "", builtIn: true, permissions: permissionsOf(r), assignments: used.get(r) ?? 0 })),
      ...custom.map((r) => publicRole(r, used.get(r.id) ?? 0)),
    ],
  };
}

export async function createRole(svc: Services, { user: actor, ip }: Caller, body: z.output<typeof NewRoleBody>) {
  await nameFree(svc, body.name);
  assertHolds(svc, actor, body.permissions);
  const r = await svc.db.customRole.create({
    data: { name: body.name, description: body.description, permissionsJson: JSON.stringify(body.permissions) },
  });
  await reloadAccess(svc);
  await audit(svc.db, {
    actor: actor.username,
    userId: actor.id,
    action: "role.create",
    target: r.name,
    outcome: "success",
    ip,
    details: { permissions: body.permissions },
  });
  return { role: publicRole(r, 0) };
}

export async function updateRole(svc: Services, { user: actor, ip }: Caller, id: string, body: z.output<typeof RolePatchBody>) {
  const r = await knownRole(svc, id);
  if (body.name !== undefined) await nameFree(svc, body.name, id);
  if (body.permissions) {
    assertHolds(svc, actor, body.permissions);
    await assertAdminRemains(svc, { customRole: { id, permissions: body.permissions } }, "permissions");
  }
  const u = await svc.db.customRole.update({
    where: { id },
    data: { name: body.name, description: body.description, permissionsJson: body.permissions ? JSON.stringify(body.permissions) : undefined },
  });
  await reloadAccess(svc);
  await audit(svc.db, {
    actor: actor.username,
    userId: actor.id,
    action: "role.update",
    target: r.name === u.name ? u.name : `${r.name} → ${u.name}`,
    outcome: "success",
    ip,
    details: { before: parse(r.permissionsJson), after: parse(u.permissionsJson) },
  });
  return { role: publicRole(u, await svc.db.roleAssignment.count({ where: { role: id } })) };
}

export async function deleteRole(svc: Services, { user: actor, ip }: Caller, id: string) {
  const r = await knownRole(svc, id);
  const n = await svc.db.roleAssignment.count({ where: { role: id } });
  if (n)
    throw new ApiError("conflict", `${r.name} is assigned ${n} time${n === 1 ? "" : "s"}: remove those assignments first`, {
      id: `assigned ${n} time${n === 1 ? "" : "s"}`,
    });
  await svc.db.customRole.delete({ where: { id } });
  await reloadAccess(svc);
  await audit(svc.db, { actor: actor.username, userId: actor.id, action: "role.delete", target: r.name, outcome: "success", ip });
}
