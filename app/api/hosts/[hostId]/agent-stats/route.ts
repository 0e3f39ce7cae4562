import { z } from "zod";
import { route, json } from "@/server/web/http/route";

const Params = z.strictObject({ hostId: z.string().min(1).max(64) });

// What the host's agent streams and what it costs it (watched targets, ticks, RSS, CPU).
export const GET = route({ permission: "host.read", params: Params, resource: (p) => ({ type: "host", id: p.hostId }) }, async ({ svc, params }) => {
  return json({ stats: await svc.hub.call(params.hostId, "agent.stats", {}, 5000) });
});
