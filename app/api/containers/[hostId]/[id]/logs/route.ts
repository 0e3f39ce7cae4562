import { z } from "zod";
import { route } from "@/server/web/http/route";
import { ContainerParams, containerResource } from "@/server/web/http/params";
import { containerLogs } from "@/server/web/services/containers";

// The last `tail` lines as text; `download=1` makes it a file. (Live following goes
// through the console path: POST …/console with kind "logs".)
export const GET = route(
  {
    permission: "container.read",
    params: ContainerParams,
    resource: containerResource,
    query: z.strictObject({
      tail: z.coerce.number().int().min(1).max(100_000).default(1000),
      timestamps: z.enum(["0", "1"]).default("1"),
      download: z.enum(["0", "1"]).default("0"),
    }),
  },
  async ({ svc, params, query }) => {
    const r = await containerLogs(svc, params, { tail: query.tail, timestamps: query.timestamps === "1" });
    const headers: Record<string, string> = { "content-type": "text/plain; charset=utf-8", "x-hangar-truncated": r.truncated ? "1" : "0" };
    if (query.download === "1") headers["content-disposition"] = `attachment; filename="${r.fileName}"`;
    return new Response(r.text, { headers });
  },
);
