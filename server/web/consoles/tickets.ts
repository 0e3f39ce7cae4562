// One-time console tickets: random, valid 30 s, bound to user, session, host, VM and
// console kind, consumed on first presentation. Stored hashed, in memory only (a ticket
// outliving a server restart would be useless anyway: the socket is to this process).
import type { StreamKind } from "../../protocol";
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

export class ConsoleTickets {
  private readonly tickets = new Map<string, TicketClaims & { expiresAt: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  issue(claims: TicketClaims): string {
    this.sweep();
    const ticket = randomToken();
    this.tickets.set(hashToken(ticket), { ...claims, expiresAt: this.now() + this.ttlMs });
    return ticket;
  }

  /** The claims of a live ticket, which is gone afterwards whatever the outcome. */
  consume(ticket: string): TicketClaims | null {
    const key = hashToken(ticket);
    const t = this.tickets.get(key);
    this.tickets.delete(key);
    if (!t || t.expiresAt <= this.now()) return null;
    const { expiresAt: _e, ...claims } = t;
    return claims;
  }

  private sweep(): void {
    const now = this.now();
    for (const [k, t] of this.tickets) if (t.expiresAt <= now) this.tickets.delete(k);
  }
}
