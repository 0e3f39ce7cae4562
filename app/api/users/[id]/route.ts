import { route, json } from "@/server/web/http/route";
import { IdParams } from "@/server/web/http/params";
import { deleteUser, setRole, UserPatchBody } from "@/server/web/services/users";

export const PATCH = route({ permission: "user.manage", params: IdParams, body: UserPatchBody }, async ({ svc, user, params, body, ip }) =>
  json({ user: await setRole(svc, { user, ip }, params.id, body.role) }),
);

export const DELETE = route({ permission: "user.manage", params: IdParams }, async ({ svc, user, params, ip }) => {
  await deleteUser(svc, { user, ip }, params.id);
  return json({ ok: true });
});
