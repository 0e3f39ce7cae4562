// Counts failures per key (account name, client address) in a sliding window, in the
// database: with several servers on one PostgreSQL an attacker who spreads guesses over
// them meets one count (decision 0005). One row per failure, so concurrent failures on two
// servers need no upsert; rows that left the window are deleted as new ones come.
import type { Db } from "../db/client";

/** How often the rows of every key that left the window are deleted (the key's own go at each failure). */
const SWEEP_MS = 60_000;

export class FailureLimiter {
  private lastSweep = 0;

  /** `scope` keeps limiters that share the table apart (sign-in by account, by address, TOTP…). */
  constructor(
    private readonly db: Db,
    private readonly scope: string,
    private readonly max: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds until the key may try again, or 0 when it is not blocked. */
  async retryAfter(key: string): Promise<number> {
    // The max-th newest failure in the window: the key is free again when it leaves it.
    const [nth] = await this.db.loginFailure.findMany({
      where: { key: this.key(key), at: { gt: new Date(this.now() - this.windowMs) } },
      orderBy: { at: "desc" },
      skip: this.max - 1,
      take: 1,
      select: { at: true },
    });
    if (!nth) return 0;
    return Math.max(1, Math.ceil((nth.at.getTime() + this.windowMs - this.now()) / 1000));
  }

  async fail(key: string): Promise<void> {
    const now = this.now();
    const cutoff = new Date(now - this.windowMs);
    await this.db.loginFailure.create({ data: { key: this.key(key), at: new Date(now) } });
    const sweepAll = now - this.lastSweep > SWEEP_MS;
    if (sweepAll) this.lastSweep = now;
    await this.db.loginFailure.deleteMany({ where: sweepAll ? { at: { lte: cutoff } } : { key: this.key(key), at: { lte: cutoff } } });
  }

  async reset(key: string): Promise<void> {
    await this.db.loginFailure.deleteMany({ where: { key: this.key(key) } });
  }

  private key(key: string): string {
    return `${this.scope}:${key}`;
  }
}
