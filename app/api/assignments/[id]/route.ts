import { route, json } from "@/server/web/http/route";
import { IdParams } from "@/server/web/http/params";
import { deleteAssignment } from "@/server/web/services/role-assignments";

export const DELETE = route({ permission: "user.manage", params: IdParams }, async ({ svc, user, ip, params }) => {
  await deleteAssignment(svc, { user, ip }, params.id);
  return json({ ok: true });
});
