import { route, json } from "@/server/web/http/route";
import { IdParams } from "@/server/web/http/params";
import { deleteSilence } from "@/server/web/services/alert-rules";

export const DELETE = route({ permission: "alert.manage", params: IdParams }, async ({ svc, user, ip, params }) => {
  await deleteSilence(svc, { user, ip }, params.id);
  return json({ ok: true });
});
