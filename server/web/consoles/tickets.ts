// One-time console tickets: random, valid 30 s, bound to user, session, host, VM and
// console kind, consumed on first presentation (and remembered a while after, so that a
// refusal can say whether a ticket was reused, expired or never issued). Stored hashed,
// in memory only (a ticket outliving a server restart would be useless anyway: the
// socket is to this process).
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

/** Why a ticket was refused: never issued (or forgotten), presented before, or too late. */
export type TicketRefusal = "ticket-unknown" | "ticket-used" | "ticket-expired";

/** Refused and used tickets are remembered this long past their expiry, to tell the refusals apart. */
const REMEMBER_MS = 5 * 60_000;

export class ConsoleTickets {
  private readonly tickets = new Map<string, TicketClaims & { expiresAt: number }>();
  private readonly used = new Map<string, TicketClaims & { expiresAt: number }>();

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

  /**
   * The claims of a live ticket, which is used up whatever the outcome; or why it was
   * refused (with the claims it carried, when known, so the refusal names whose it was).
   */
  redeem(ticket: string): { claims: TicketClaims } | { refused: TicketRefusal; claims: TicketClaims | null } {
    const key = hashToken(ticket);
    const t = this.tickets.get(key);
    if (!t) {
      const u = this.used.get(key);
      return { refused: u ? "ticket-used" : "ticket-unknown", claims: u ? strip(u) : null };
    }
    this.tickets.delete(key);
    this.used.set(key, t);
    if (t.expiresAt <= this.now()) return { refused: "ticket-expired", claims: strip(t) };
    return { claims: strip(t) };
  }

  private sweep(): void {
    const forget = this.now() - REMEMBER_MS;
    for (const m of [this.tickets, this.used]) for (const [k, t] of m) if (t.expiresAt <= forget) m.delete(k);
  }
}

function strip(t: TicketClaims & { expiresAt: number }): TicketClaims {
  const { expiresAt: _e, ...claims } = t;
  return claims;
}
