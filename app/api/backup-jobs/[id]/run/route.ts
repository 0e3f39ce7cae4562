import { route, json } from "@/server/web/http/route";
import { IdParams } from "@/server/web/http/params";
import { runNow } from "@/server/web/services/backup-jobs";

export const POST = route({ permission: "backup.run", params: IdParams }, async ({ svc, user, ip, params }) =>
  json(await runNow(svc, { user, ip }, params.id), { status: 202 }),
);
