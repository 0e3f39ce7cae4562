import { route, json } from "@/server/web/http/route";
import { createRole, listRoles, NewRoleBody } from "@/server/web/services/custom-roles";

// The built-in roles with their permissions, then the custom ones.
export const GET = route({ permission: "user.manage" }, async ({ svc }) => json(await listRoles(svc)));

export const POST = route({ permission: "user.manage", body: NewRoleBody }, async ({ svc, user, ip, body }) =>
  json(await createRole(svc, { user, ip }, body), { status: 201 }),
);
