import { route, json } from "@/server/web/http/route";
import { sessionCookie } from "@/server/web/http/cookies";
import { AcceptInvitationBody, acceptInvitation } from "@/server/web/services/account-links";

// Signed out by nature: the invitee has no account until this succeeds, and is then signed in.
export const POST = route({ auth: "none", body: AcceptInvitationBody }, async ({ svc, body, ip, req }) => {
  const { user, token } = await acceptInvitation(svc, body, { ip, userAgent: req.headers.get("user-agent") ?? "" });
  return json({ user }, { status: 201, headers: { "Set-Cookie": sessionCookie(svc.config, token) } });
});
