// Sign-in, setup and session verbs: one per route (and the setup check the login and
// setup pages read). Throttling and password checks are ../auth/accounts.ts.
import type { z } from "zod";
import type { Session, User } from "../db/client";
import type { Services } from "../services";
import { audit } from "../audit";
import { ApiError } from "../http/errors";
import { createFirstAdmin, login, publicUser, type LoginBody, type SetupBody } from "../auth/accounts";
import type { Caller, SessionCaller } from "./caller";
import { grantsJson } from "../../protocol/access";

/** Where a request comes from, kept on its session for the sessions list. */
export interface Client {
  ip: string;
  userAgent: string;
}

/** No account exists yet: setup (a one-time link) is open, sign-in is not. */
export async function setupNeeded(svc: Services): Promise<boolean> {
  return (await svc.db.user.count()) === 0;
}

export async function setupStatus(svc: Services, token: string | undefined) {
  const needed = await setupNeeded(svc);
  return { needed, tokenValid: needed && token ? svc.setup.check(token) : false };
}

/** The first admin, signed in: its user and the new session's token (for the cookie). */
export async function completeSetup(svc: Services, body: z.output<typeof SetupBody>, client: Client) {
  const user = await createFirstAdmin(svc, body, client.ip);
  return { user: publicUser(user), token: await openSession(svc, user, client) };
}

/**
 * The password step. With a second factor on, no session yet: a challenge for
 * POST /api/auth/login/totp (services/totp.ts), bound to this user and short-lived.
 */
export async function signIn(
  svc: Services,
  body: z.output<typeof LoginBody>,
  client: Client,
): Promise<{ user: ReturnType<typeof publicUser>; token: string } | { totpRequired: true; challenge: string }> {
  const user = await login(svc, body, client.ip);
  if (user.totpSecret) return { totpRequired: true, challenge: await svc.totp.openChallenge(user.id) };
  return { user: publicUser(user), token: await openSession(svc, user, client) };
}

/** A new session for a user who passed sign-in (password, second factor or OIDC); its token. */
export async function openSession(svc: Services, user: User, client: Client): Promise<string> {
  const { token } = await svc.sessions.create(user.id, { userAgent: client.userAgent, ip: client.ip });
  return token;
}

export async function signOut(svc: Services, caller: SessionCaller): Promise<void> {
  await svc.sessions.revoke(caller.session.id, caller.user.id);
  await audit(svc.db, { actor: caller.user.username, userId: caller.user.id, action: "auth.logout", outcome: "success", ip: caller.ip });
}

/** Who is signed in, and everything they may do where (the browser hides what would be refused). */
export function currentSession(svc: Services, user: User, session: Session) {
  return {
    user: publicUser(user),
    session: { id: session.id, expiresAt: session.expiresAt.toISOString() },
    grants: grantsJson(svc.access.grants(user)),
    // null: no choice made, the browser's language decides (Settings shows "Browser default").
    preferences: { locale: user.locale },
  };
}

/** The caller's own live sessions, the one this request came in marked current. */
export async function listSessions(svc: Services, caller: SessionCaller) {
  const rows = await svc.sessions.listForUser(caller.user.id);
  return rows.map((s) => ({
    id: s.id,
    current: s.id === caller.session.id,
    createdAt: s.createdAt.toISOString(),
    lastSeenAt: s.lastSeenAt.toISOString(),
    expiresAt: s.expiresAt.toISOString(),
    userAgent: s.userAgent,
    ip: s.ip,
  }));
}

/** Revokes one of the caller's own sessions (its sockets close); another user's is "not found". */
export async function revokeSession(svc: Services, caller: Caller, sessionId: string): Promise<void> {
  const ok = await svc.sessions.revoke(sessionId, caller.user.id);
  if (!ok) throw new ApiError("not_found", `No active session ${sessionId}`, { id: "no such active session" });
  await audit(svc.db, {
    actor: caller.user.username,
    userId: caller.user.id,
    action: "session.revoke",
    target: sessionId,
    outcome: "success",
    ip: caller.ip,
  });
}
