import type { Db } from "./db/client";

export interface AuditEntry {
  actor: string;
  userId?: string | null;
  action: string;
  target?: string;
  outcome: "success" | "failure" | "denied";
  ip?: string;
  details?: Record<string, unknown>;
}

/** Writes one audit row. Never throws: a failing audit write is logged, not user-facing. */
export async function audit(db: Db, e: AuditEntry): Promise<void> {
  try {
    await db.auditEvent.create({
      data: {
        actor: e.actor.slice(0, 200),
        userId: e.userId ?? null,
        action: e.action,
        target: e.target ?? "",
        outcome: e.outcome,
        ip: e.ip ?? "",
        detailsJson: JSON.stringify(e.details ?? {}),
      },
    });
  } catch (err) {
    console.error("[audit] write failed:", (err as Error).message, e.action);
  }
}

/** A refused socket upgrade: a session, ticket, credential or permission that did not pass. */
export interface Refusal {
  /** Who, when known: the session's user, or the host whose credential was valid. */
  actor?: string;
  userId?: string | null;
  /** What was asked for: the path, and the console or channel when known. */
  target: string;
  /** Why, as a stable code (e.g. "ticket-used", "session-missing"). */
  reason: string;
  status: number;
  message: string;
  ip: string;
  details?: Record<string, unknown>;
}

export const REFUSAL_ACTION = "socket.refused";

/**
 * Decides which refusals are written. Per address and reason, the first `perKey` of a
 * window are; past that, and past `perWindow` rows in all, they are only counted, and each
 * count becomes one summary row when the window ends. So a flood (one address, or many)
 * writes a bounded number of rows, and the log still says that it happened.
 */
export class RefusalThrottle {
  private readonly written = new Map<string, number>();
  private readonly suppressed = new Map<string, number>();
  private total = 0;

  constructor(
    readonly perKey = 5,
    readonly perWindow = 30,
    /** Distinct keys tracked per window; past it, new keys share one ("*"). */
    private readonly maxKeys = 1000,
  ) {}

  /** True: write this refusal. False: it is counted for the window's summary. */
  admit(ip: string, reason: string): boolean {
    let key = `${ip}|${reason}`;
    if (!this.written.has(key) && !this.suppressed.has(key) && this.written.size + this.suppressed.size >= this.maxKeys) key = `*|${reason}`;
    const n = this.written.get(key) ?? 0;
    if (n < this.perKey && this.total < this.perWindow) {
      this.written.set(key, n + 1);
      this.total++;
      return true;
    }
    this.suppressed.set(key, (this.suppressed.get(key) ?? 0) + 1);
    return false;
  }

  /** Ends the window: what was suppressed, per address and reason (at most `maxSummaries` entries, the rest folded into one). */
  roll(maxSummaries = 10): { ip: string; reason: string; count: number }[] {
    const all = [...this.suppressed].map(([k, count]) => {
      const at = k.lastIndexOf("|");
      return { ip: k.slice(0, at), reason: k.slice(at + 1), count };
    });
    this.written.clear();
    this.suppressed.clear();
    this.total = 0;
    all.sort((a, b) => b.count - a.count);
    if (all.length <= maxSummaries) return all;
    const rest = all.slice(maxSummaries - 1);
    return [...all.slice(0, maxSummaries - 1), { ip: "*", reason: "*", count: rest.reduce((s, r) => s + r.count, 0) }];
  }
}

/** Writes refusals through a RefusalThrottle; a window starts with the first refusal after the last one ended. */
export class RefusalLog {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: Db,
    private readonly throttle = new RefusalThrottle(),
    private readonly windowMs = 60_000,
  ) {}

  record(r: Refusal): void {
    this.timer ??= setTimeout(() => void this.flush(), this.windowMs).unref();
    if (!this.throttle.admit(r.ip, r.reason)) return;
    void audit(this.db, {
      actor: r.actor ?? "anonymous",
      userId: r.userId,
      action: REFUSAL_ACTION,
      target: r.target,
      outcome: "denied",
      ip: r.ip,
      details: { reason: r.reason, status: r.status, message: r.message, ...r.details },
    });
  }

  /** Ends the window now: one summary row per address and reason that was suppressed. */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const seconds = Math.round(this.windowMs / 1000);
    for (const s of this.throttle.roll()) {
      await audit(this.db, {
        actor: "hangar",
        action: REFUSAL_ACTION,
        target: `${s.count} more refusal${s.count === 1 ? "" : "s"} suppressed`,
        outcome: "denied",
        ip: s.ip === "*" ? "" : s.ip,
        details: { reason: s.reason, suppressed: s.count, windowSeconds: seconds },
      });
    }
  }
}
