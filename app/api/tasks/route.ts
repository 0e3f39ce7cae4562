import { z } from "zod";
import { route, json } from "@/server/web/http/route";

export const GET = route(
  { permission: "task.read", query: z.strictObject({ limit: z.coerce.number().int().min(1).max(1000).default(200) }) },
  async ({ svc, query }) => json({ tasks: await svc.tasks.list(query.limit) }),
);
