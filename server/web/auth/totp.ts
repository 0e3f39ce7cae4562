// TOTP second factor (RFC 6238: SHA-1, 6 digits, 30 s, ±1 step of clock drift) through the
// otpauth library, plus what lives around it: sign-in challenges and the throttle on wrong
// codes (in the database: the two steps of a sign-in may reach two servers, decision 0005)
// and a cached copy of the "who must enrol" policy (read on every request, so it must not
// cost a query).
import crypto from "node:crypto";
import { Secret, TOTP } from "otpauth";
import type { Db, User } from "../db/client";
import { FailureLimiter } from "./rate-limit";
import { hashToken, randomToken } from "./tokens";

const PERIOD = 30;
const ISSUER = "Hangar";
export const RECOVERY_CODES = 10;
/** A sign-in challenge (password accepted, code pending) lives this long. */
const CHALLENGE_MS = 5 * 60_000;
/** How often expired challenges are deleted. */
const SWEEP_MS = 60_000;

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

function totp(secret: string, label: string): TOTP {
  return new TOTP({ issuer: ISSUER, label, algorithm: "SHA1", digits: 6, period: PERIOD, secret: Secret.fromBase32(secret) });
}

export function otpauthUri(secret: string, username: string): string {
  return totp(secret, username).toString();
}

/**
 * The time-step a code is valid for, or null. A step not newer than `lastStep` is refused:
 * that is what stops the replay of a code seen over someone's shoulder within its window.
 */
export function acceptCode(secret: string, code: string, lastStep: number | null, now = Date.now()): number | null {
  const clean = code.replace(/\s+/g, "");
  if (!/^\d{6}$/.test(clean)) return null;
  const delta = totp(secret, "x").validate({ token: clean, timestamp: now, window: 1 });
  if (delta === null) return null;
  const step = Math.floor(now / 1000 / PERIOD) + delta;
  return lastStep !== null && step <= lastStep ? null : step;
}

// No 0/o, 1/l/i: codes are read off paper.
const ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";

export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODES }, () => {
    const chars = Array.from({ length: 12 }, () => ALPHABET[crypto.randomInt(ALPHABET.length)]).join("");
    return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8)}`;
  });
}

/** Hash of a recovery code as typed: case, spaces and dashes do not matter. */
export function recoveryHash(code: string): string {
  return hashToken(`recovery:${code.toLowerCase().replace(/[\s-]+/g, "")}`);
}

export interface TotpPolicyValue {
  requireAll: boolean;
  roles: string[];
}

export class TotpService {
  private lastSweep = 0;
  private policy: TotpPolicyValue = { requireAll: false, roles: [] };
  readonly byAccount: FailureLimiter;
  readonly byAddress: FailureLimiter;

  constructor(
    private readonly db: Db,
    limits: { maxFailures: number; windowMs: number },
    private readonly now: () => number = Date.now,
  ) {
    // Like passwords: a handful per account, more per address (many users behind one NAT).
    this.byAccount = new FailureLimiter(db, "totp-account", limits.maxFailures, limits.windowMs, now);
    this.byAddress = new FailureLimiter(db, "totp-address", limits.maxFailures * 4, limits.windowMs, now);
  }

  async load(): Promise<void> {
    const row = await this.db.totpPolicy.findUnique({ where: { id: 1 } });
    this.policy = row ? { requireAll: row.requireAll, roles: parseRoles(row.rolesJson) } : { requireAll: false, roles: [] };
  }

  getPolicy(): TotpPolicyValue {
    return { requireAll: this.policy.requireAll, roles: [...this.policy.roles] };
  }

  async setPolicy(p: TotpPolicyValue): Promise<void> {
    const data = { requireAll: p.requireAll, rolesJson: JSON.stringify(p.roles) };
    await this.db.totpPolicy.upsert({ where: { id: 1 }, create: { id: 1, ...data }, update: data });
    this.policy = { requireAll: p.requireAll, roles: [...p.roles] };
  }

  /**
   * Does the policy ask this user for a second factor? Never an account that signs in through
   * an OIDC provider: its second factor is the provider's (services/oidc.ts).
   */
  required(user: Pick<User, "role" | "oidcIssuer">): boolean {
    if (user.oidcIssuer) return false;
    return this.policy.requireAll || this.policy.roles.includes(user.role);
  }

  /** Signed in with a password only, but the policy wants a second factor: enrol first. */
  mustEnrol(user: Pick<User, "role" | "totpSecret" | "oidcIssuer">): boolean {
    return !user.totpSecret && this.required(user);
  }

  /** A one-time handle for the second sign-in step, bound to the user who passed the password. */
  async openChallenge(userId: string): Promise<string> {
    const now = this.now();
    if (now - this.lastSweep > SWEEP_MS) {
      this.lastSweep = now;
      await this.db.signInChallenge.deleteMany({ where: { expiresAt: { lte: new Date(now) } } });
    }
    const token = randomToken();
    await this.db.signInChallenge.create({ data: { hash: hashToken(token), userId, expiresAt: new Date(now + CHALLENGE_MS) } });
    return token;
  }

  /** The user a live challenge belongs to (it stays open for another try), or null. */
  async challengeUser(token: string): Promise<string | null> {
    const c = await this.db.signInChallenge.findUnique({ where: { hash: hashToken(token) } });
    if (!c || c.expiresAt.getTime() <= this.now()) return null;
    return c.userId;
  }

  async closeChallenge(token: string): Promise<void> {
    await this.db.signInChallenge.deleteMany({ where: { hash: hashToken(token) } });
  }
}

function parseRoles(json: string): string[] {
  try {
    const v = JSON.parse(json) as unknown;
    return Array.isArray(v) ? v.filter((r): r is string => typeof r === "string") : [];
  } catch {
    return [];
  }
}
