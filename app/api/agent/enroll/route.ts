import { route, json } from "@/server/web/http/route";
import { ApiError } from "@/server/web/http/errors";
import { enroll } from "@/server/web/agents/hosts";
import { EnrollRequest } from "@/server/protocol";
import { audit } from "@/server/web/audit";

// Called by agents, not browsers: no session; the one-time token is the credential.
// Failures are throttled per address like sign-ins.
export const POST = route({ auth: "none", body: EnrollRequest }, async ({ svc, body, ip }) => {
  const key = `enroll:${ip}`;
  const wait = svc.loginByAddress.retryAfter(key);
  if (wait > 0) throw new ApiError("rate_limited", `Too many failed enrollments: try again in ${wait} s`, undefined, { "Retry-After": String(wait) });
  try {
    const { host, credential } = await enroll(svc.db, body.token, body.facts);
    await audit(svc.db, { actor: `agent:${host.name}`, action: "host.enroll", target: host.name, outcome: "success", ip });
    svc.bus.publish({ type: "host.changed", hostId: host.id });
    return json({ hostId: host.id, credential, name: host.name });
  } catch (err) {
    svc.loginByAddress.fail(key);
    await audit(svc.db, { actor: "agent", action: "host.enroll", outcome: "denied", ip });
    throw err;
  }
});
