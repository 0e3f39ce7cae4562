import { route, json } from "@/server/web/http/route";
import { currentSession } from "@/server/web/services/sessions";

export const GET = route({ permission: "session.manage", session: "required", enrolment: true }, async ({ svc, user, session }) =>
  json(currentSession(svc, user, session)),
);
