// The browser-facing answers of the OIDC routes: these are top-level navigations, not
// fetches, so they answer with redirects and a page rather than JSON.
import type { Config } from "../config";
import { clearedOidcFlowCookie, oidcFlowCookie, sessionCookie } from "./cookies";
import { OIDC_FLOW_SECONDS } from "../auth/oidc";

const NO_STORE = { "Cache-Control": "no-store" };

/** Off to the provider, with the cookie that binds the flow to this browser. */
export function toProvider(config: Config, handle: string, url: string): Response {
  const headers = new Headers({ ...NO_STORE, Location: url });
  headers.append("Set-Cookie", oidcFlowCookie(config, handle, OIDC_FLOW_SECONDS));
  return new Response(null, { status: 303, headers });
}

/** Back to the sign-in page, which shows the message for `reason` (never text from the URL). */
export function toSignInPage(config: Config, reason: string): Response {
  const headers = new Headers({ ...NO_STORE, Location: `/login?oidc_error=${encodeURIComponent(reason)}` });
  headers.append("Set-Cookie", clearedOidcFlowCookie(config));
  return new Response(null, { status: 303, headers });
}

/**
 * Signed in. A page that moves on by itself rather than a redirect: the session cookie is
 * SameSite=Strict, and a redirect would still belong to the navigation the provider (another
 * site) started, so the browser would not send the cookie on it; a refresh this page asks for
 * is a same-site navigation.
 */
export function signedInPage(config: Config, token: string, next: string): Response {
  const headers = new Headers({ ...NO_STORE, "Content-Type": "text/html; charset=utf-8" });
  headers.append("Set-Cookie", sessionCookie(config, token));
  headers.append("Set-Cookie", clearedOidcFlowCookie(config));
  const href = escapeHtml(next);
  const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=${href}"><title>Signed in</title></head><body><p>Signed in. <a href="${href}">Continue</a></p></body></html>`;
  return new Response(body, { status: 200, headers });
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
