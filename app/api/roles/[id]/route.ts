import { route, json } from "@/server/web/http/route";
import { IdParams } from "@/server/web/http/params";
import { deleteRole, RolePatchBody, updateRole } from "@/server/web/services/custom-roles";

export const PATCH = route({ permission: "user.manage", params: IdParams, body: RolePatchBody }, async ({ svc, user, ip, params, body }) =>
  json(await updateRole(svc, { user, ip }, params.id, body)),
);

// Refused (409, naming how many) while the role is assigned.
export const DELETE = route({ permission: "user.manage", params: IdParams }, async ({ svc, user, ip, params }) => {
  await deleteRole(svc, { user, ip }, params.id);
  return json({ ok: true });
});
