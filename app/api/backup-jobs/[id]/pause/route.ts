import { z } from "zod";
import { route, json } from "@/server/web/http/route";
import { IdParams } from "@/server/web/http/params";
import { updateJob } from "@/server/web/services/backup-jobs";

// Pause and resume only: an operator's right (backup.run), unlike editing the job.
export const POST = route(
  { permission: "backup.run", params: IdParams, body: z.strictObject({ paused: z.boolean() }) },
  async ({ svc, user, ip, params, body }) => json({ job: await updateJob(svc, { user, ip }, params.id, { paused: body.paused }) }),
);
