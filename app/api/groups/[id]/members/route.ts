import { route, json } from "@/server/web/http/route";
import { IdParams } from "@/server/web/http/params";
import { addMember, MemberBody } from "@/server/web/services/groups";

export const POST = route({ permission: "user.manage", params: IdParams, body: MemberBody }, async ({ svc, user, ip, params, body }) => {
  await addMember(svc, { user, ip }, params.id, body.userId);
  return json({ ok: true }, { status: 201 });
});
