import { z } from "zod";
import { route, json } from "@/server/web/http/route";
import { IdParams } from "@/server/web/http/params";
import { listRuns } from "@/server/web/services/backup-jobs";

export const GET = route(
  { permission: "backup.read", params: IdParams, query: z.strictObject({ limit: z.coerce.number().int().min(1).max(1000).default(100) }) },
  async ({ svc, params, query }) => json(await listRuns(svc, params.id, query.limit)),
);
