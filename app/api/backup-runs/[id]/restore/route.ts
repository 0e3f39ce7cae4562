import { route, json } from "@/server/web/http/route";
import { IdParams } from "@/server/web/http/params";
import { idempotencyKey } from "@/server/web/http/idempotency";
import { restoreRun, RestoreBody } from "@/server/web/services/backup-jobs";

export const POST = route({ permission: "backup.manage", params: IdParams, body: RestoreBody }, async ({ svc, user, ip, params, body, req }) => {
  const r = await restoreRun(svc, { user, ip }, params.id, body, idempotencyKey(req));
  return json({ task: r.task, replay: r.replay, result: r.result ?? null }, { status: r.done ? 200 : 202 });
});
