import { route, json } from "@/server/web/http/route";
import { EnrollRequest } from "@/server/protocol";
import { enrollAgent } from "@/server/web/services/hosts";

// Called by agents, not browsers: no session; the one-time token is the credential.
// Failures are throttled per address like sign-ins.
export const POST = route({ auth: "none", body: EnrollRequest }, async ({ svc, body, ip }) =>
  json(await enrollAgent(svc, body.token, body.facts, ip)),
);
