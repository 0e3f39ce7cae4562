import { z } from "zod";
import { route, json } from "@/server/web/http/route";
import { HISTORY_RANGES, parseSeries } from "@/server/protocol/metrics";
import { seriesHistory } from "@/server/web/services/metrics";

const Query = z.strictObject({
  series: z
    .string()
    .max(200)
    .refine((s) => parseSeries(s) !== null, "not a series id (host/<hostId>, vm/<hostId>/<uuid> or ct/<hostId>/<id>)"),
  range: z.enum(Object.keys(HISTORY_RANGES) as [keyof typeof HISTORY_RANGES]).optional(),
  from: z.coerce.number().int().nonnegative().optional(),
  to: z.coerce.number().int().nonnegative().optional(),
});

// History of one series on a regular grid (null = nothing observed: the host was offline).
// Reading it needs host.read on the host, vm.read on the VM or container.read on the
// container (checked by the service); host.read on any scope reaches the route.
export const GET = route({ permission: "host.read", scope: "filtered", query: Query }, async ({ svc, user, query }) =>
  json(await seriesHistory(svc, user, query)),
);
