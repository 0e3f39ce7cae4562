import { z } from "zod";
import { route } from "@/server/web/http/route";
import { toProvider, toSignInPage } from "@/server/web/http/oidc-responses";
import { OidcSignInError, startOidcSignIn } from "@/server/web/services/oidc";

const Query = z.strictObject({ next: z.string().max(2048, "at most 2048 characters").optional() });

// The "Sign in with …" button's link: a navigation, so a refusal goes back to the sign-in page.
export const GET = route({ auth: "none", query: Query }, async ({ svc, query, ip }) => {
  try {
    const { handle, url } = await startOidcSignIn(svc, query.next, ip);
    return toProvider(svc.config, handle, url);
  } catch (err) {
    if (err instanceof OidcSignInError) return toSignInPage(svc.config, err.reason);
    throw err;
  }
});
