import { z } from "zod";
import { route, json } from "@/server/web/http/route";
import { listTasks } from "@/server/web/services/tasks";

// The newest tasks the caller may see: task.read on what they act on, and their own.
export const GET = route(
  { permission: "task.read", scope: "filtered", query: z.strictObject({ limit: z.coerce.number().int().min(1).max(1000).default(200) }) },
  async ({ svc, user, query }) => json({ tasks: await listTasks(svc, user, query.limit) }),
);
