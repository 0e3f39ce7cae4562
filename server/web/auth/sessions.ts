// Server-side sessions. The browser holds a 256-bit random secret; the database holds only
// its SHA-256. A session dies on logout/revocation, after `idleMs` without a request, or
// `maxMs` after sign-in, whichever comes first, checked on every request and upgrade.
import type { Db, Session, User } from "../db/client";
import { hashToken, randomToken } from "./tokens";

export interface SessionMeta {
  userAgent: string;
  ip: string;
}

export interface ValidSession {
  session: Session;
  user: User;
}

type RevokeListener = (sessionIds: string[]) => void;

export class SessionService {
  private readonly listeners = new Set<RevokeListener>();

  constructor(
    private readonly db: Db,
    private readonly opts: { idleMs: number; maxMs: number },
    private readonly now: () => number = Date.now,
  ) {}

  async create(userId: string, meta: SessionMeta): Promise<{ token: string; session: Session }> {
    const token = randomToken();
    const now = new Date(this.now());
    const session = await this.db.session.create({
      data: {
        tokenHash: hashToken(token),
        userId,
        createdAt: now,
        lastSeenAt: now,
        expiresAt: new Date(now.getTime() + this.opts.maxMs),
        userAgent: meta.userAgent.slice(0, 300),
        ip: meta.ip.slice(0, 64),
      },
    });
    return { token, session };
  }

  /** The live session for a presented token, touching its idle clock; null when dead. */
  async validate(token: string | undefined | null): Promise<ValidSession | null> {
    if (!token || token.length > 128) return null;
    const row = await this.db.session.findUnique({ where: { tokenHash: hashToken(token) }, include: { user: true } });
    if (!row) return null;
    const now = this.now();
    // A disabled account's sessions are revoked when it is disabled; this also covers a
    // race with a request already past that point.
    if (row.user.disabledAt) return null;
    if (row.revokedAt || row.expiresAt.getTime() <= now || row.lastSeenAt.getTime() + this.opts.idleMs <= now) return null;
    // Touch at most every 1/20 of the idle window: keeps writes rare without letting a
    // busy session expire early by more than 5 %.
    if (now - row.lastSeenAt.getTime() > this.opts.idleMs / 20) {
      await this.db.session.update({ where: { id: row.id }, data: { lastSeenAt: new Date(now) } });
    }
    const { user, ...session } = row;
    return { session, user };
  }

  /** Still alive? (no touch) Used to drop websockets whose session went idle or expired. */
  async isAlive(sessionId: string): Promise<boolean> {
    const row = await this.db.session.findUnique({ where: { id: sessionId }, include: { user: { select: { disabledAt: true } } } });
    const now = this.now();
    return !!row && !row.user.disabledAt && !row.revokedAt && row.expiresAt.getTime() > now && row.lastSeenAt.getTime() + this.opts.idleMs > now;
  }

  async listForUser(userId: string): Promise<Session[]> {
    const now = new Date(this.now());
    return this.db.session.findMany({
      where: { userId, revokedAt: null, expiresAt: { gt: now }, lastSeenAt: { gt: new Date(now.getTime() - this.opts.idleMs) } },
      orderBy: { lastSeenAt: "desc" },
    });
  }

  /** Revokes one of the user's sessions; false when it is not theirs or already gone. */
  async revoke(sessionId: string, userId: string): Promise<boolean> {
    const { count } = await this.db.session.updateMany({
      where: { id: sessionId, userId, revokedAt: null },
      data: { revokedAt: new Date(this.now()) },
    });
    if (count > 0) this.emit([sessionId]);
    return count > 0;
  }

  /** Ends every session of a user (account removed); their websockets close. */
  async revokeAllForUser(userId: string): Promise<number> {
    const open = await this.db.session.findMany({ where: { userId, revokedAt: null }, select: { id: true } });
    if (!open.length) return 0;
    await this.db.session.updateMany({ where: { id: { in: open.map((o) => o.id) } }, data: { revokedAt: new Date(this.now()) } });
    this.emit(open.map((o) => o.id));
    return open.length;
  }

  onRevoke(listener: RevokeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(ids: string[]): void {
    for (const l of this.listeners) l(ids);
  }
}
