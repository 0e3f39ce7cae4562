import { z } from "zod";
import { route, json } from "@/server/web/http/route";
import { previewCron } from "@/server/web/services/backup-jobs";

// The form's "next 3 runs" in the chosen time zone, from the same code the scheduler uses.
export const GET = route(
  { permission: "backup.read", query: z.strictObject({ cron: z.string().min(1).max(200), timeZone: z.string().min(1).max(64).default("UTC") }) },
  async ({ svc, query }) => json(previewCron(svc, query.cron, query.timeZone)),
);
