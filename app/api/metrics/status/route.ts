import { route, json } from "@/server/web/http/route";

// The metrics service's own state (subscribers, watched series, buffers) and the server's
// memory: for admins watching Hangar itself.
export const GET = route({ permission: "audit.read" }, async ({ svc }) => json({ ...svc.metrics.status(), rssBytes: process.memoryUsage.rss() }));
