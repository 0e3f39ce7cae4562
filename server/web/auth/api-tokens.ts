// Personal API tokens for scripts and Prometheus: `Authorization: Bearer hgr_…`. The value
// is 256 random bits behind a fixed prefix (so a leaked token is easy to grep for and to
// recognise in secret scanners); only its SHA-256 is stored. A token holds a chosen subset
// of its owner's permissions, and every use intersects that subset with what the owner's
// role grants NOW, so demoting a user shrinks their tokens at once.
import type { ApiToken, Db, User } from "../db/client";
import { PERMISSIONS, type Permission } from "../../protocol/roles";
import type { AccessService } from "./access";
import { hashToken, randomToken } from "./tokens";
import { audit, RefusalThrottle } from "../audit";

export const TOKEN_PREFIX = "hgr_";
/** Longest lifetime a token may be given. */
export const TOKEN_MAX_DAYS = 366;
/** last-used is written at most this often per token: no database write per request. */
const TOUCH_MS = 60_000;

export interface TokenAuth {
  user: User;
  token: ApiToken;
  permissions: ReadonlySet<Permission>;
}

/** Why a presented bearer token was refused: for the audit row, never shown with the value. */
export type TokenRefusal = "malformed" | "unknown" | "revoked" | "expired" | "disabled";

export function newTokenValue(): string {
  return TOKEN_PREFIX + randomToken();
}

/** The first characters, enough to tell tokens apart in a list; far too few to use. */
export function tokenHint(value: string): string {
  return value.slice(0, TOKEN_PREFIX.length + 4);
}

export function isTokenShaped(value: string): boolean {
  return value.startsWith(TOKEN_PREFIX) && value.length <= 128;
}

export function storedPermissions(t: Pick<ApiToken, "permissionsJson">): Permission[] {
  try {
    const list = JSON.parse(t.permissionsJson) as unknown;
    return Array.isArray(list) ? PERMISSIONS.filter((p) => list.includes(p)) : [];
  } catch {
    return [];
  }
}

/**
 * A token's rights right now: what it was given, cut down to what its owner still holds
 * somewhere. Where it holds them is checked per request against the owner's scoped grants
 * (the route wrapper asks both), so a token never reaches beyond its owner's scope.
 */
export function effectivePermissions(access: AccessService, user: Pick<User, "id" | "role">, t: Pick<ApiToken, "permissionsJson">): Permission[] {
  return storedPermissions(t).filter((p) => access.canSomewhere(user, p));
}

/** The bearer value from an Authorization header, or null when there is none. */
/** Other schemes (a proxy's Basic auth) are not ours: the request falls back to its cookie. */
export function bearerValue(header: string | null | undefined): string | null {
  if (!header || !/^Bearer(\s|$)/i.test(header)) return null;
  return /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1] ?? "";
}

export interface TokenFailure {
  reason: TokenRefusal | "forbidden" | "session-only";
  ip: string;
  path: string;
  token?: Pick<ApiToken, "id" | "name" | "hint">;
  user?: Pick<User, "id" | "username">;
  permission?: string;
}

export class ApiTokenService {
  // Failed uses are audited, but a script hammering with a bad token must not write a row
  // per request: per address and reason a few rows a minute, then one summary.
  private readonly throttle = new RefusalThrottle();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: Db,
    private readonly access: AccessService,
    private readonly now: () => number = Date.now,
  ) {}

  /** Audits a refused token use. The token is named by id and hint, never by its value. */
  recordFailure(f: TokenFailure): void {
    this.timer ??= setTimeout(() => void this.flush(), 60_000).unref();
    if (!this.throttle.admit(f.ip, f.reason)) return;
    void audit(this.db, {
      actor: f.user?.username ?? "anonymous",
      userId: f.user?.id ?? null,
      action: "token.use",
      target: f.token ? `${f.token.name} (${f.token.hint}…)` : f.path,
      outcome: f.reason === "forbidden" || f.reason === "session-only" ? "denied" : "failure",
      ip: f.ip,
      details: { reason: f.reason, path: f.path, ...(f.token ? { tokenId: f.token.id } : {}), ...(f.permission ? { permission: f.permission } : {}) },
    });
  }

  private async flush(): Promise<void> {
    this.timer = null;
    for (const s of this.throttle.roll()) {
      await audit(this.db, {
        actor: "hangar",
        action: "token.use",
        target: `${s.count} more refused token use${s.count === 1 ? "" : "s"} suppressed`,
        outcome: "failure",
        ip: s.ip === "*" ? "" : s.ip,
        details: { reason: s.reason, suppressed: s.count },
      });
    }
  }

  async authenticate(value: string, ip: string): Promise<TokenAuth | { refused: TokenRefusal; token?: ApiToken; user?: User }> {
    if (!isTokenShaped(value)) return { refused: "malformed" };
    const row = await this.db.apiToken.findUnique({ where: { tokenHash: hashToken(value) }, include: { user: true } });
    if (!row) return { refused: "unknown" };
    const { user, ...token } = row;
    const now = this.now();
    if (token.revokedAt) return { refused: "revoked", token, user };
    if (token.expiresAt.getTime() <= now) return { refused: "expired", token, user };
    // A disabled account's tokens stop with its sessions (and work again when re-enabled).
    if (user.disabledAt) return { refused: "disabled", token, user };
    if (!token.lastUsedAt || now - token.lastUsedAt.getTime() >= TOUCH_MS) {
      await this.db.apiToken.update({ where: { id: token.id }, data: { lastUsedAt: new Date(now), lastUsedIp: ip.slice(0, 64) } });
    }
    return { user, token, permissions: new Set(effectivePermissions(this.access, user, token)) };
  }
}
