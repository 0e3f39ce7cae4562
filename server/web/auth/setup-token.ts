// The first-run setup token: printed once to the server console while no user exists,
// valid for one hour and for one use. Held in memory only, so a restart issues a new one
// and an old URL from a log is worthless.
import { hashToken, randomToken, safeEqual } from "./tokens";

export class SetupTokens {
  private current: { hash: string; expiresAt: number } | null = null;

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  issue(): string {
    const token = randomToken();
    this.current = { hash: hashToken(token), expiresAt: this.now() + this.ttlMs };
    return token;
  }

  check(token: string): boolean {
    const c = this.current;
    return !!c && c.expiresAt > this.now() && safeEqual(c.hash, hashToken(token));
  }

  /** Single use: the caller consumes it in the same step that creates the admin. */
  consume(token: string): boolean {
    if (!this.check(token)) return false;
    this.current = null;
    return true;
  }

  get pending(): boolean {
    return !!this.current && this.current.expiresAt > this.now();
  }
}
