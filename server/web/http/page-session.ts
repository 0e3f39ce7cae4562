// Session check for server-rendered pages (the API has its own in route.ts).
import { cache } from "react";
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { services } from "../services";
import { sessionCookieName } from "./cookies";
import type { ValidSession } from "../auth/sessions";
import { REQUEST_PATH_HEADER } from "./request-path";

export async function requirePageSession(): Promise<ValidSession> {
  const valid = await requireEnrolmentSession();
  // The TOTP policy wants a second factor this user has not set up: enrolment first.
  if (services().totp.mustEnrol(valid.user)) redirect("/enrol-totp");
  return valid;
}

/** A signed-in session, whether or not the TOTP policy still sends it to enrolment. */
export async function requireEnrolmentSession(): Promise<ValidSession> {
  const svc = services();
  const valid = await pageSession();
  if (!valid) redirect((await svc.db.user.count()) === 0 ? "/setup" : await loginUrl());
  return valid;
}

/**
 * This request's session, or null; looked up once per request (React's cache), since the
 * layout and the i18n request config (the user's language) both ask.
 */
export const pageSession = cache(async (): Promise<ValidSession | null> => {
  const svc = services();
  return svc.sessions.validate((await cookies()).get(sessionCookieName(svc.config))?.value);
});

/** The sign-in page, told where the user was going, so that signing in lands there. */
async function loginUrl(): Promise<string> {
  const url = new URL((await headers()).get(REQUEST_PATH_HEADER) ?? "/", "http://x");
  url.searchParams.delete("_rsc"); // Next's client-navigation marker, not part of the page's address
  const next = url.pathname + url.search;
  return next === "/" ? "/login" : `/login?next=${encodeURIComponent(next)}`;
}
