// One-time console tickets: random, valid 30 s, bound to user, session, host, VM and
// console kind, consumed on first presentation (and remembered a while after, so that a
// refusal can say whether a ticket was reused, expired or never issued). Stored hashed in
// the database: with several servers (decision 0005) a ticket issued on one is presented
// to whichever the load balancer picks, and one conditional UPDATE decides who uses it.
import type { StreamKind } from "../../protocol";
import type { Db } from "../db/client";
import { hashToken, randomToken } from "../auth/tokens";

export interface TicketClaims {
  userId: string;
  sessionId: string;
  hostId: string;
  /** The machine's UUID, or the container's id for exec/logs. */
  uuid: string;
  kind: StreamKind;
  takeover: boolean;
  /** Initial terminal size (exec). */
  cols?: number;
  rows?: number;
}

/** Why a ticket was refused: never issued (or forgotten), presented before, or too late. */
export type TicketRefusal = "ticket-unknown" | "ticket-used" | "ticket-expired";

/** Refused and used tickets are remembered this long past their expiry, to tell the refusals apart. */
const REMEMBER_MS = 5 * 60_000;

/** How often rows past REMEMBER_MS are deleted. */
const SWEEP_MS = 60_000;

export class ConsoleTickets {
  private lastSweep = 0;

  constructor(
    private readonly db: Db,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async issue(claims: TicketClaims): Promise<string> {
    await this.sweep();
    const ticket = randomToken();
    await this.db.consoleTicket.create({
      data: { hash: hashToken(ticket), claimsJson: JSON.stringify(claims), expiresAt: new Date(this.now() + this.ttlMs) },
    });
    return ticket;
  }

  /**
   * The claims of a live ticket, which is used up whatever the outcome; or why it was
   * refused (with the claims it carried, when known, so the refusal names whose it was).
   */
  async redeem(ticket: string): Promise<{ claims: TicketClaims } | { refused: TicketRefusal; claims: TicketClaims | null }> {
    const hash = hashToken(ticket);
    // Only the presentation that flips usedAt from null gets a row back, on any server.
    const [won] = await this.db.consoleTicket.updateManyAndReturn({ where: { hash, usedAt: null }, data: { usedAt: new Date(this.now()) } });
    if (won) {
      const claims = JSON.parse(won.claimsJson) as TicketClaims;
      return won.expiresAt.getTime() <= this.now() ? { refused: "ticket-expired", claims } : { claims };
    }
    const seen = await this.db.consoleTicket.findUnique({ where: { hash } });
    return seen ? { refused: "ticket-used", claims: JSON.parse(seen.claimsJson) as TicketClaims } : { refused: "ticket-unknown", claims: null };
  }

  private async sweep(): Promise<void> {
    const now = this.now();
    if (now - this.lastSweep < SWEEP_MS) return;
    this.lastSweep = now;
    await this.db.consoleTicket.deleteMany({ where: { expiresAt: { lte: new Date(now - REMEMBER_MS) } } });
  }
}
