import { route, json } from "@/server/web/http/route";
import { HostParams, hostResource } from "@/server/web/http/params";
import { agentStats } from "@/server/web/services/hosts";

// What the host's agent streams and what it costs it (watched targets, ticks, RSS, CPU).
export const GET = route({ permission: "host.read", params: HostParams, resource: hostResource }, async ({ svc, params }) =>
  json({ stats: await agentStats(svc, params.hostId) }),
);
