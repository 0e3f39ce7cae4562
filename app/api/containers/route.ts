import { route, json } from "@/server/web/http/route";
import { listContainers } from "@/server/web/services/containers";

// Every container the caller may read, as last reported (rows of offline hosts are stale).
export const GET = route({ permission: "container.read", scope: "filtered" }, async ({ svc, user }) => json(listContainers(svc, user)));
