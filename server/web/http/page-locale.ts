// The language a page is rendered in: the signed-in user's choice (Settings), else the
// language cookie (kept for signed-out pages: the sign-in page after signing out stays in
// the language chosen), else the browser's Accept-Language, else English.
import { cookies, headers } from "next/headers";
import { DEFAULT_LOCALE, isLocale, negotiateLocale, type Locale } from "../../protocol/locales";
import { pageSession } from "./page-session";

export const LOCALE_COOKIE = "hangar_locale";

export async function pageLocale(): Promise<Locale> {
  const user = (await pageSession())?.user;
  if (isLocale(user?.locale)) return user.locale;
  const cookie = (await cookies()).get(LOCALE_COOKIE)?.value;
  if (isLocale(cookie)) return cookie;
  return negotiateLocale((await headers()).get("accept-language")) ?? DEFAULT_LOCALE;
}

/** Set with a choice, cleared (Max-Age=0) when the user goes back to the browser's language. */
export function localeCookie(locale: Locale | null, secure: boolean): string {
  // Not HttpOnly: it holds no secret, only which catalogue to render. A year: a preference.
  const attrs = [`${LOCALE_COOKIE}=${locale ?? ""}`, "Path=/", "SameSite=Lax", `Max-Age=${locale ? 365 * 24 * 3600 : 0}`];
  if (secure) attrs.push("Secure");
  return attrs.join("; ");
}
