import { route, json } from "@/server/web/http/route";
import { IdParams } from "@/server/web/http/params";
import { ChannelPatchBody } from "@/server/protocol/alerts";
import { deleteChannel, updateChannel } from "@/server/web/services/alert-channels";

export const PATCH = route({ permission: "alert.manage", params: IdParams, body: ChannelPatchBody }, async ({ svc, user, ip, params, body }) =>
  json(await updateChannel(svc, { user, ip }, params.id, body)),
);

export const DELETE = route({ permission: "alert.manage", params: IdParams }, async ({ svc, user, ip, params }) => {
  await deleteChannel(svc, { user, ip }, params.id);
  return json({ ok: true });
});
