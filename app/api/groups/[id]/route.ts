import { route, json } from "@/server/web/http/route";
import { IdParams } from "@/server/web/http/params";
import { deleteGroup, GroupPatchBody, updateGroup } from "@/server/web/services/groups";

export const PATCH = route({ permission: "user.manage", params: IdParams, body: GroupPatchBody }, async ({ svc, user, ip, params, body }) =>
  json(await updateGroup(svc, { user, ip }, params.id, body)),
);

export const DELETE = route({ permission: "user.manage", params: IdParams }, async ({ svc, user, ip, params }) => {
  await deleteGroup(svc, { user, ip }, params.id);
  return json({ ok: true });
});
