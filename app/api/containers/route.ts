import { route, json } from "@/server/web/http/route";
import { listContainers } from "@/server/web/services/containers";

// Every container of every host, as last reported (rows of offline hosts are stale).
export const GET = route({ permission: "container.read" }, async ({ svc }) => json(listContainers(svc)));
