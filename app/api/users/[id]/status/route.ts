import { route, json } from "@/server/web/http/route";
import { IdParams } from "@/server/web/http/params";
import { setDisabled, UserStatusBody } from "@/server/web/services/users";

export const PUT = route({ permission: "user.manage", params: IdParams, body: UserStatusBody }, async ({ svc, user, params, body, ip }) =>
  json({ user: await setDisabled(svc, { user, ip }, params.id, body.disabled) }),
);
