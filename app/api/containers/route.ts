import { route, json } from "@/server/web/http/route";

// Every container of every host, as last reported (rows of offline hosts are stale).
export const GET = route({ permission: "container.read" }, async ({ svc }) => {
  const rows = svc.hub.containers();
  return json({ rows, total: rows.length });
});
