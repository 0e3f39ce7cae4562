// Session check for server-rendered pages (the API has its own in route.ts).
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { services } from "../services";
import { sessionCookieName } from "./cookies";
import type { ValidSession } from "../auth/sessions";

export async function requirePageSession(): Promise<ValidSession> {
  const svc = services();
  const token = (await cookies()).get(sessionCookieName(svc.config))?.value;
  const valid = await svc.sessions.validate(token);
  if (!valid) redirect((await svc.db.user.count()) === 0 ? "/setup" : "/login");
  return valid;
}
