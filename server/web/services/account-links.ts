// One-time account links (issue 14 point 3): invitations and admin-issued password resets.
// The secret is shown once, to the admin who made the link; the database keeps only its
// SHA-256 (like sessions), so a copy of the database opens no account. A link is spent by
// a conditional update inside the same transaction that creates the user or sets the
// password, so two racing requests cannot both use it and a refused one leaves it usable.
import { z } from "zod";
import { audit } from "../audit";
import { ApiError, isApiError } from "../http/errors";
import type { Services } from "../services";
import type { Db } from "../db/client";
import { NewPasswordSchema, publicUser, UsernameSchema } from "../auth/accounts";
import { hashPassword } from "../auth/passwords";
import { hashToken, randomToken } from "../auth/tokens";
import { ROLES } from "../auth/permissions";
import type { Caller } from "./caller";
import type { Client } from "./sessions";
import { assertCanGrant, reloadAccess } from "./access-rules";
import { scopeOf } from "./groups";

export type LinkKind = "invite" | "reset";
const DAY = 86_400;

/** The secret as it appears in /invite/<token> and /reset/<token>: 43 base64url characters today. */
export const LinkToken = z.string().regex(/^[A-Za-z0-9_-]{20,128}$/, "not a link token");
/** Seconds until the link expires. Short values exist for automation and tests; the UI offers hours and days. */
const ExpiresIn = (def: number) =>
  z
    .number()
    .int("whole seconds")
    .min(1, "at least 1 second")
    .max(30 * DAY, "at most 30 days")
    .default(def);

// The role may be "none" when a group gives the rights (issue 14): the invitee joins it.
export const NewInvitationBody = z.strictObject({
  role: z.enum([...ROLES, "none"]),
  groupId: z.string().min(1).max(64).optional(),
  expiresInSeconds: ExpiresIn(3 * DAY),
});
export const NewResetLinkBody = z.strictObject({ expiresInSeconds: ExpiresIn(DAY) });
export const AcceptInvitationBody = z.strictObject({ token: LinkToken, username: UsernameSchema, password: NewPasswordSchema });
export const CompleteResetBody = z.strictObject({ token: LinkToken, password: NewPasswordSchema });

type LinkRow = NonNullable<Awaited<ReturnType<Db["accountLink"]["findUnique"]>>>;
type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

function publicInvitation(l: LinkRow) {
  return {
    id: l.id,
    role: l.role ?? "viewer",
    groupId: l.groupId,
    createdBy: l.createdBy,
    createdAt: l.createdAt.toISOString(),
    expiresAt: l.expiresAt.toISOString(),
  };
}

async function issue(
  svc: Services,
  kind: LinkKind,
  data: { role?: string; userId?: string; groupId?: string; createdBy: string; expiresInSeconds: number },
) {
  const token = randomToken();
  const row = await svc.db.accountLink.create({
    data: {
      kind,
      tokenHash: hashToken(token),
      role: data.role ?? null,
      userId: data.userId ?? null,
      groupId: data.groupId ?? null,
      createdBy: data.createdBy,
      expiresAt: new Date(Date.now() + data.expiresInSeconds * 1000),
    },
  });
  const path = `/${kind}/${token}`;
  return { row, token, path, url: svc.baseUrl + path };
}

export async function createInvitation(svc: Services, { user: actor, ip }: Caller, body: z.output<typeof NewInvitationBody>) {
  // The link hands out the role and the group's rights: the actor must hold them all.
  assertCanGrant(svc, actor, body.role, { type: "global" });
  const group = body.groupId ? await svc.db.group.findUnique({ where: { id: body.groupId }, include: { assignments: true } }) : null;
  if (body.groupId && !group) throw new ApiError("not_found", `No group ${body.groupId}`, { groupId: "unknown group" });
  for (const a of group?.assignments ?? []) assertCanGrant(svc, actor, a.role, scopeOf(a));
  const { row, token, path, url } = await issue(svc, "invite", {
    role: body.role,
    groupId: group?.id,
    createdBy: actor.username,
    expiresInSeconds: body.expiresInSeconds,
  });
  await audit(svc.db, {
    actor: actor.username,
    userId: actor.id,
    action: "invitation.create",
    target: `invitation ${row.id} (${body.role}${group ? `, group ${group.name}` : ""})`,
    outcome: "success",
    ip,
    details: { expiresAt: row.expiresAt.toISOString() },
  });
  return { invitation: publicInvitation(row), token, path, url };
}

/** Invitations that can still be accepted, newest first. */
export async function listInvitations(svc: Services) {
  const rows = await svc.db.accountLink.findMany({
    where: { kind: "invite", usedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
    orderBy: { createdAt: "desc" },
  });
  return rows.map(publicInvitation);
}

export async function revokeInvitation(svc: Services, { user: actor, ip }: Caller, id: string): Promise<void> {
  const { count } = await svc.db.accountLink.updateMany({
    where: { id, kind: "invite", usedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
    data: { revokedAt: new Date() },
  });
  if (!count) throw new ApiError("not_found", `No pending invitation ${id}`, { id: "no such pending invitation" });
  await audit(svc.db, { actor: actor.username, userId: actor.id, action: "invitation.revoke", target: `invitation ${id}`, outcome: "success", ip });
}

export type LinkState = "valid" | "unknown" | "used" | "expired" | "revoked";

function stateOf(l: LinkRow | null, kind: LinkKind): LinkState {
  if (!l || l.kind !== kind) return "unknown";
  if (l.usedAt) return "used";
  if (l.revokedAt) return "revoked";
  if (l.expiresAt.getTime() <= Date.now()) return "expired";
  return "valid";
}

/** What the /invite and /reset pages show before the form: never throws for a bad token. */
export async function linkStatus(svc: Services, kind: LinkKind, token: string) {
  if (!LinkToken.safeParse(token).success) return { state: "unknown" as LinkState };
  const l = await svc.db.accountLink.findUnique({ where: { tokenHash: hashToken(token) } });
  const state = stateOf(l, kind);
  if (state !== "valid" || !l) return { state };
  const username = kind === "reset" && l.userId ? (await svc.db.user.findUnique({ where: { id: l.userId } }))?.username : undefined;
  if (kind === "reset" && !username) return { state: "unknown" as LinkState };
  return { state, role: l.role ?? undefined, username, expiresAt: l.expiresAt.toISOString() };
}

const REFUSED: Record<Exclude<LinkState, "valid">, string> = {
  unknown: "This link is not valid: check that it was copied whole",
  used: "This link was already used: ask an admin for a new one",
  expired: "This link has expired: ask an admin for a new one",
  revoked: "This link was revoked: ask an admin for a new one",
};

/** Marks the link used inside `tx`; throws 404 (unknown) or 410 (used, expired, revoked). */
async function spend(tx: Tx, kind: LinkKind, token: string, usedBy: string): Promise<LinkRow> {
  const l = await tx.accountLink.findUnique({ where: { tokenHash: hashToken(token) } });
  const state = stateOf(l, kind);
  if (state === "valid" && l) {
    // Conditional: of two racing requests only one matches the still-unused row.
    const { count } = await tx.accountLink.updateMany({ where: { id: l.id, usedAt: null, revokedAt: null }, data: { usedAt: new Date(), usedBy } });
    if (count === 1) return l;
  }
  const why = state === "valid" ? "used" : state;
  throw new ApiError(why === "unknown" ? "not_found" : "gone", REFUSED[why], { token: why });
}

async function refused(svc: Services, action: string, actor: string, ip: string, err: unknown): Promise<never> {
  const reason = isApiError(err) ? (err.fields?.token ?? err.message) : "error";
  await audit(svc.db, { actor, action, outcome: "denied", ip, details: { reason } });
  throw err;
}

/** The invitee's new account, signed in: its user and the new session's token (for the cookie). */
export async function acceptInvitation(svc: Services, body: z.output<typeof AcceptInvitationBody>, client: Client) {
  const taken = { username: "already taken" };
  if (await svc.db.user.findUnique({ where: { username: body.username } }))
    throw new ApiError("conflict", `A user named ${body.username} already exists: pick another name`, taken);
  // Hashing takes ~50 ms of CPU: done before the transaction so it does not hold the write lock.
  const passwordHash = await hashPassword(body.password);
  const { user, link } = await svc.db
    .$transaction(async (tx) => {
      const link = await spend(tx, "invite", body.token, body.username);
      if (await tx.user.findUnique({ where: { username: body.username } }))
        throw new ApiError("conflict", `A user named ${body.username} already exists: pick another name`, taken);
      const user = await tx.user.create({ data: { username: body.username, passwordHash, role: link.role ?? "viewer" } });
      // The group may have been deleted since the link was made: then there is nothing to join.
      if (link.groupId && (await tx.group.findUnique({ where: { id: link.groupId } })))
        await tx.groupMember.create({ data: { groupId: link.groupId, userId: user.id } });
      return { user, link };
    })
    .catch((err: unknown) => refused(svc, "invitation.accept", body.username, client.ip, err));
  if (link.groupId) await reloadAccess(svc);
  await audit(svc.db, {
    actor: user.username,
    userId: user.id,
    action: "invitation.accept",
    target: `${user.username} (${user.role}) via invitation ${link.id} from ${link.createdBy}`,
    outcome: "success",
    ip: client.ip,
  });
  const { token } = await svc.sessions.create(user.id, { userAgent: client.userAgent, ip: client.ip });
  return { user: publicUser(user), token };
}

/** A one-time link that sets a new password for `userId`; earlier unused ones for them stop working. */
export async function createResetLink(svc: Services, { user: actor, ip }: Caller, userId: string, body: z.output<typeof NewResetLinkBody>) {
  const target = await svc.db.user.findUnique({ where: { id: userId } });
  if (!target) throw new ApiError("not_found", `No user ${userId}`, { id: "unknown user" });
  await svc.db.accountLink.updateMany({ where: { kind: "reset", userId, usedAt: null, revokedAt: null }, data: { revokedAt: new Date() } });
  const { row, token, path, url } = await issue(svc, "reset", { userId, createdBy: actor.username, expiresInSeconds: body.expiresInSeconds });
  await audit(svc.db, {
    actor: actor.username,
    userId: actor.id,
    action: "user.reset_link",
    target: target.username,
    outcome: "success",
    ip,
    details: { link: row.id, expiresAt: row.expiresAt.toISOString() },
  });
  return { token, path, url, expiresAt: row.expiresAt.toISOString() };
}

/** Sets the new password and ends every session of that user (their sockets close). Not signed in: they sign in with it. */
export async function completeReset(svc: Services, body: z.output<typeof CompleteResetBody>, ip: string) {
  const passwordHash = await hashPassword(body.password);
  const user = await svc.db
    .$transaction(async (tx) => {
      const link = await spend(tx, "reset", body.token, "");
      const user = link.userId ? await tx.user.findUnique({ where: { id: link.userId } }) : null;
      if (!user) throw new ApiError("not_found", REFUSED.unknown, { token: "unknown" });
      return tx.user.update({ where: { id: user.id }, data: { passwordHash } });
    })
    .catch((err: unknown) => refused(svc, "user.password_reset", "anonymous", ip, err));
  const revoked = await svc.sessions.revokeAllForUser(user.id);
  await audit(svc.db, {
    actor: user.username,
    userId: user.id,
    action: "user.password_reset",
    target: user.username,
    outcome: "success",
    ip,
    details: { sessionsRevoked: revoked },
  });
  return { username: user.username, sessionsRevoked: revoked };
}
