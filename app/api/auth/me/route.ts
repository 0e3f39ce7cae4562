import { route, json } from "@/server/web/http/route";
import { localeCookie } from "@/server/web/http/page-locale";
import { currentSession } from "@/server/web/services/sessions";
import { PreferencesBody, setPreferences } from "@/server/web/services/preferences";

export const GET = route({ permission: "session.manage", session: "required", enrolment: true }, async ({ svc, user, session }) =>
  json(currentSession(svc, user, session)),
);

// The cookie too, so that the sign-in page after signing out stays in the chosen language.
export const PATCH = route({ permission: "session.manage", session: "required", body: PreferencesBody }, async ({ svc, user, ip, body }) => {
  const prefs = await setPreferences(svc, { user, ip }, body);
  return json({ preferences: prefs }, { headers: { "Set-Cookie": localeCookie(prefs.locale, svc.config.secureCookies) } });
});
