// OIDC sign-in verbs (issue 14 point 6): what a verified identity becomes in Hangar. The
// protocol (state, nonce, PKCE, token checks) is ../auth/oidc.ts; here: the throttle, the
// local account linked by (issuer, subject), its group memberships, the session, the audit.
//
// Decisions (docs/decisions/oidc-sign-in.md): a new account gets role "none" (its rights
// come from its groups' assignments); its password is unusable, so it signs in only through
// the provider; Hangar asks it for no second factor (that is the provider's job, where the
// account lives), and the TOTP policy does not send it to enrolment.
import type { User } from "../db/client";
import type { Services } from "../services";
import { audit } from "../audit";
import { ApiError } from "../http/errors";
import { UsernameSchema } from "../auth/accounts";
import { isOidcError, type OidcIdentity, type OidcRefusal } from "../auth/oidc";
import { syncOidcGroups } from "../auth/oidc-groups";
import { openSession, type Client } from "./sessions";

/** Stored instead of a password hash: argon2 verification of it always fails. */
export const NO_PASSWORD = "!oidc";

/** What the sign-in page says for each refusal (its ?oidc_error=), never text from the URL. */
export const OIDC_REFUSAL_MESSAGES: Record<OidcRefusal | "disabled" | "rate_limited", string> = {
  state: "Single sign-on failed: the answer does not belong to a sign-in started in this browser (or it expired). Try again.",
  nonce: "Single sign-on failed: the identity token does not belong to this sign-in. Try again.",
  provider: "Single sign-on failed: the identity provider refused the sign-in.",
  token: "Single sign-on failed: the identity provider's answer could not be verified.",
  unavailable: "Single sign-on is unavailable: the identity provider did not answer.",
  disabled: "This account is disabled: ask an admin to enable it.",
  rate_limited: "Too many failed sign-ins from this address: try again later.",
};

/** A refused OIDC sign-in, already audited; the route sends the browser to the sign-in page with it. */
export class OidcSignInError extends Error {
  constructor(readonly reason: keyof typeof OIDC_REFUSAL_MESSAGES) {
    super(OIDC_REFUSAL_MESSAGES[reason]);
  }
}

function oidcOf(svc: Services) {
  if (!svc.oidc) throw new ApiError("not_found", "Single sign-on is not configured on this server");
  return svc.oidc;
}

/** Only a path on this origin: `//evil`, `/\evil` or a full URL would send the browser away. */
export function safeNext(next: string | undefined): string {
  return next && next.startsWith("/") && !next.startsWith("//") && !next.startsWith("/\\") ? next : "/";
}

/** GET /api/auth/oidc/start: a new flow; its handle goes into the browser's cookie. */
export async function startOidcSignIn(svc: Services, next: string | undefined, ip: string): Promise<{ handle: string; url: string }> {
  const oidc = oidcOf(svc);
  if ((await svc.loginByAddress.retryAfter(`ip:${ip}`)) > 0) {
    await refused(svc, ip, "rate_limited", "rate limited");
    throw new OidcSignInError("rate_limited");
  }
  try {
    const { handle, url } = await oidc.start(safeNext(next));
    return { handle, url: url.href };
  } catch (err) {
    if (isOidcError(err)) throw new OidcSignInError(err.reason);
    throw err;
  }
}

/**
 * GET /api/auth/oidc/callback: checks the provider's answer against the flow this browser
 * started, then signs the linked account in (created on first sign-in) with a new session.
 */
export async function finishOidcSignIn(
  svc: Services,
  handle: string | undefined,
  search: URLSearchParams,
  client: Client,
): Promise<{ token: string; next: string; user: User }> {
  const oidc = oidcOf(svc);
  const ipKey = `ip:${client.ip}`;
  if ((await svc.loginByAddress.retryAfter(ipKey)) > 0) {
    await refused(svc, client.ip, "rate_limited", "rate limited");
    throw new OidcSignInError("rate_limited");
  }
  let id: OidcIdentity;
  try {
    id = await oidc.finish(handle, search);
  } catch (err) {
    if (!isOidcError(err)) throw err;
    if (err.reason !== "unavailable") await svc.loginByAddress.fail(ipKey);
    await refused(svc, client.ip, err.reason, err.message);
    throw new OidcSignInError(err.reason);
  }
  const user = await linkedUser(svc, id);
  if (user.disabledAt) {
    await refused(svc, client.ip, "disabled", "account disabled", user);
    throw new OidcSignInError("disabled");
  }
  const { changed, groups } = await syncOidcGroups(svc.db, user.id, id.groups);
  if (changed) await svc.access.reload();
  const token = await openSession(svc, user, client);
  await audit(svc.db, {
    actor: user.username,
    userId: user.id,
    action: "auth.login",
    outcome: "success",
    ip: client.ip,
    details: { method: "oidc", issuer: id.issuer, groups },
  });
  return { token, next: id.next, user };
}

/** The account linked to this identity, created on its first sign-in. */
async function linkedUser(svc: Services, id: OidcIdentity): Promise<User> {
  const where = { oidcIssuer_oidcSubject: { oidcIssuer: id.issuer, oidcSubject: id.subject } };
  const found = await svc.db.user.findUnique({ where });
  if (found) return found;
  const base = usernameBase(id.preferredUsername, id.subject);
  // Two first sign-ins at once (same person, two tabs; or two people wanting one name)
  // collide on a unique index: look again, then take the next free name.
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const username = await freeUsername(svc, base);
      const user = await svc.db.user.create({
        data: { username, passwordHash: NO_PASSWORD, role: "none", oidcIssuer: id.issuer, oidcSubject: id.subject },
      });
      await audit(svc.db, {
        actor: username,
        userId: user.id,
        action: "user.create",
        target: username,
        outcome: "success",
        details: { method: "oidc", issuer: id.issuer, subject: id.subject },
      });
      return user;
    } catch (err) {
      const again = await svc.db.user.findUnique({ where });
      if (again) return again;
      if (attempt === 2) throw err;
    }
  }
  throw new Error("unreachable");
}

/** preferred_username made valid for UsernameSchema; a name from the subject when nothing is left. */
export function usernameBase(preferred: string | null, subject: string): string {
  const cleaned = (preferred ?? "")
    // Accents dropped (é → e) rather than turned into dashes.
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .replace(/[^A-Za-z0-9._-]+/g, "-")
    .replace(/^[^A-Za-z0-9]+/, "")
    .slice(0, 56);
  if (UsernameSchema.safeParse(cleaned).success) return cleaned;
  return `oidc-${subject.replace(/[^A-Za-z0-9]/g, "").slice(0, 16) || "user"}`;
}

async function freeUsername(svc: Services, base: string): Promise<string> {
  for (let n = 1; n < 100; n++) {
    const name = n === 1 ? base : `${base}-${n}`;
    if (!(await svc.db.user.findUnique({ where: { username: name }, select: { id: true } }))) return name;
  }
  return `${base}-${Date.now().toString(36)}`;
}

async function refused(svc: Services, ip: string, reason: string, message: string, user?: User): Promise<void> {
  await audit(svc.db, {
    actor: user?.username ?? "oidc",
    userId: user?.id ?? null,
    action: "auth.login",
    outcome: reason === "provider" || reason === "unavailable" ? "failure" : "denied",
    ip,
    details: { method: "oidc", reason, message },
  });
}
