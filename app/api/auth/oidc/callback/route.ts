import { z } from "zod";
import { route } from "@/server/web/http/route";
import { oidcFlowCookieName, parseCookies } from "@/server/web/http/cookies";
import { signedInPage, toSignInPage } from "@/server/web/http/oidc-responses";
import { finishOidcSignIn, OidcSignInError } from "@/server/web/services/oidc";

// The provider's answer: code, state, iss, or error and error_description, plus whatever
// else a provider adds (session_state…); checked in auth/oidc.ts, so any names pass here.
const Query = z.record(z.string().max(64, "at most 64 characters"), z.string().max(8192, "at most 8192 characters"));

export const GET = route({ auth: "none", query: Query }, async ({ svc, query, ip, req }) => {
  const handle = parseCookies(req.headers.get("cookie")).get(oidcFlowCookieName(svc.config));
  try {
    const r = await finishOidcSignIn(svc, handle, new URLSearchParams(query), { ip, userAgent: req.headers.get("user-agent") ?? "" });
    return signedInPage(svc.config, r.token, r.next);
  } catch (err) {
    if (err instanceof OidcSignInError) return toSignInPage(svc.config, err.reason);
    throw err;
  }
});
