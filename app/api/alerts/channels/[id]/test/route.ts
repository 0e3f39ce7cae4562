import { route, json } from "@/server/web/http/route";
import { IdParams } from "@/server/web/http/params";
import { testChannel } from "@/server/web/services/alert-channels";

// Answers once the one attempt is over (at most the channel timeout).
export const POST = route({ permission: "alert.manage", params: IdParams }, async ({ svc, user, ip, params }) =>
  json(await testChannel(svc, { user, ip }, params.id)),
);
