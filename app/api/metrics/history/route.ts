import { z } from "zod";
import { route, json } from "@/server/web/http/route";
import { ApiError } from "@/server/web/http/errors";
import { MetricsService } from "@/server/web/metrics/metrics-service";
import { HISTORY_RANGES, parseSeries } from "@/server/protocol/metrics";

const Query = z.strictObject({
  series: z.string().max(200).refine((s) => parseSeries(s) !== null, "not a series id (host/<hostId>, vm/<hostId>/<uuid> or ct/<hostId>/<id>)"),
  range: z.enum(Object.keys(HISTORY_RANGES) as [keyof typeof HISTORY_RANGES]).optional(),
  from: z.coerce.number().int().nonnegative().optional(),
  to: z.coerce.number().int().nonnegative().optional(),
});

// History of one series on a regular grid (null = nothing observed: the host was offline).
export const GET = route({ permission: "host.read", query: Query }, async ({ svc, query }) => {
  let bounds: { from: number; to: number };
  try {
    bounds = MetricsService.range(query);
  } catch (err) {
    throw new ApiError("invalid", (err as Error).message, { range: (err as Error).message });
  }
  const ref = parseSeries(query.series)!;
  const host = await svc.db.host.findUnique({ where: { id: ref.hostId }, select: { id: true } });
  if (!host) throw new ApiError("not_found", `No host ${ref.hostId}`, { series: "unknown host" });
  return json(await svc.metrics.query(query.series, bounds.from, bounds.to));
});
