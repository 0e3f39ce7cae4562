import { route, json } from "@/server/web/http/route";
import { listSessions } from "@/server/web/services/sessions";

export const GET = route({ permission: "session.manage", session: "required" }, async ({ svc, user, session, ip }) =>
  json({ sessions: await listSessions(svc, { user, session, ip }) }),
);
