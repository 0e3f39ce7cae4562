// API token verbs: list, create (the value is answered once and never again), revoke.
// Users manage their own; admins (user.manage) list and revoke anyone's.
import { z } from "zod";
import { audit } from "../audit";
import { ApiError } from "../http/errors";
import type { Services } from "../services";
import type { ApiToken, User } from "../db/client";
import { PERMISSIONS, type Permission } from "../../protocol/roles";
import { effectivePermissions, newTokenValue, storedPermissions, TOKEN_MAX_DAYS, tokenHint } from "../auth/api-tokens";
import { hashToken } from "../auth/tokens";
import type { Caller } from "./caller";
import type { AccessService } from "../auth/access";

const DAY_MS = 86_400_000;

export const NewTokenBody = z.strictObject({
  name: z.string().trim().min(1, "required").max(80, "at most 80 characters"),
  expiresInDays: z.number().int("whole days").min(1, "at least 1 day").max(TOKEN_MAX_DAYS, `at most ${TOKEN_MAX_DAYS} days`),
  permissions: z
    .array(z.enum(PERMISSIONS as [Permission, ...Permission[]]))
    .min(1, "choose at least one permission")
    .max(PERMISSIONS.length),
});

export const TokenListQuery = z.strictObject({
  /** "all": every user's tokens (admins only). */
  scope: z.enum(["mine", "all"]).optional(),
});

function publicToken(access: AccessService, t: ApiToken & { user?: Pick<User, "username" | "role"> }, owner: Pick<User, "username" | "role">) {
  return {
    id: t.id,
    name: t.name,
    hint: t.hint,
    owner: owner.username,
    userId: t.userId,
    permissions: storedPermissions(t),
    /** What it may do now: its permissions cut down to its owner's current role. */
    effective: effectivePermissions(access, { id: t.userId, role: owner.role }, t),
    createdAt: t.createdAt.toISOString(),
    expiresAt: t.expiresAt.toISOString(),
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    lastUsedIp: t.lastUsedIp,
    expired: t.expiresAt.getTime() <= Date.now(),
  };
}

export async function listTokens(svc: Services, { user }: Caller, scope: "mine" | "all" = "mine") {
  if (scope === "all" && !svc.access.can(user, "user.manage"))
    throw new ApiError("forbidden", "Only admins list everyone's tokens", { scope: "admins only" });
  const rows = await svc.db.apiToken.findMany({
    where: { revokedAt: null, ...(scope === "mine" ? { userId: user.id } : {}) },
    include: { user: { select: { username: true, role: true } } },
    orderBy: { createdAt: "desc" },
  });
  return rows.map((t) => publicToken(svc.access, t, t.user));
}

export async function createToken(svc: Services, { user, ip }: Caller, body: z.output<typeof NewTokenBody>) {
  const held = new Set(PERMISSIONS.filter((p) => svc.access.canSomewhere(user, p)));
  const over = body.permissions.filter((p) => !held.has(p));
  if (over.length)
    throw new ApiError("forbidden", `You cannot give a token rights you do not hold: ${over.join(", ")}`, {
      permissions: `not yours: ${over.join(", ")}`,
    });
  const value = newTokenValue();
  const permissions = PERMISSIONS.filter((p) => body.permissions.includes(p));
  const row = await svc.db.apiToken.create({
    data: {
      userId: user.id,
      name: body.name,
      tokenHash: hashToken(value),
      hint: tokenHint(value),
      permissionsJson: JSON.stringify(permissions),
      expiresAt: new Date(Date.now() + body.expiresInDays * DAY_MS),
    },
  });
  await audit(svc.db, {
    actor: user.username,
    userId: user.id,
    action: "token.create",
    target: `${row.name} (${row.hint}…)`,
    outcome: "success",
    ip,
    details: { tokenId: row.id, permissions, expiresAt: row.expiresAt.toISOString() },
  });
  // The only time the value leaves the server.
  return { token: publicToken(svc.access, row, user), value };
}

export async function revokeToken(svc: Services, { user, ip }: Caller, id: string): Promise<void> {
  const row = await svc.db.apiToken.findUnique({ where: { id }, include: { user: { select: { username: true } } } });
  const mayAny = svc.access.can(user, "user.manage");
  // Someone else's token is "not found" to a non-admin: ids do not leak who has tokens.
  if (!row || row.revokedAt || (row.userId !== user.id && !mayAny))
    throw new ApiError("not_found", `No active token ${id}`, { id: "no such active token" });
  await svc.db.apiToken.update({ where: { id }, data: { revokedAt: new Date() } });
  await audit(svc.db, {
    actor: user.username,
    userId: user.id,
    action: "token.revoke",
    target: `${row.name} (${row.hint}…) of ${row.user.username}`,
    outcome: "success",
    ip,
    details: { tokenId: row.id },
  });
}
