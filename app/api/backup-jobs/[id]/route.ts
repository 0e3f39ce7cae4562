import { route, json } from "@/server/web/http/route";
import { IdParams } from "@/server/web/http/params";
import { deleteJob, JobPatch, updateJob } from "@/server/web/services/backup-jobs";

export const PATCH = route({ permission: "backup.manage", params: IdParams, body: JobPatch }, async ({ svc, user, ip, params, body }) =>
  json({ job: await updateJob(svc, { user, ip }, params.id, body) }),
);

export const DELETE = route({ permission: "backup.manage", params: IdParams }, async ({ svc, user, ip, params }) => {
  await deleteJob(svc, { user, ip }, params.id);
  return json({ ok: true });
});
