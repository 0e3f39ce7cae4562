// Every browser websocket is registered with the session that opened it, so that revoking
// a session (or its expiry) closes its sockets, and so that every socket is pinged: idle
// proxies drop silent connections, and a peer that stops answering pings is cut.
export const CLOSE_SESSION_ENDED = 4401;
/** The TOTP policy now wants a second factor this session's user lacks: the browser goes to enrolment. */
export const CLOSE_ENROL_TOTP = 4409;

/** What the registry needs of a socket: a ws WebSocket, or a console living in the relay process. */
export interface ManagedSocket {
  close(code?: number, reason?: string): void;
  ping(): void;
  terminate(): void;
  on(event: "close", listener: () => void): unknown;
  on(event: "pong", listener: () => void): unknown;
}

interface Entry {
  ws: ManagedSocket;
  sessionId: string | null;
  alive: boolean;
}

export class SocketRegistry {
  private readonly entries = new Set<Entry>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    pingMs: number,
    private readonly isSessionAlive: (sessionId: string) => Promise<boolean>,
  ) {
    this.timer = setInterval(() => void this.tick(), pingMs);
    this.timer.unref();
  }

  add(ws: ManagedSocket, sessionId: string | null): void {
    const entry: Entry = { ws, sessionId, alive: true };
    this.entries.add(entry);
    ws.on("pong", () => (entry.alive = true));
    ws.on("close", () => this.entries.delete(entry));
  }

  closeSessions(sessionIds: string[], reason = "session ended", code = CLOSE_SESSION_ENDED): number {
    const ids = new Set(sessionIds);
    let n = 0;
    for (const e of this.entries) {
      if (e.sessionId && ids.has(e.sessionId)) {
        e.ws.close(code, reason);
        n++;
      }
    }
    return n;
  }

  countForSession(sessionId: string): number {
    let n = 0;
    for (const e of this.entries) if (e.sessionId === sessionId) n++;
    return n;
  }

  get size(): number {
    return this.entries.size;
  }

  private async tick(): Promise<void> {
    const sessions = new Map<string, boolean>();
    for (const e of this.entries) {
      if (!e.alive) {
        e.ws.terminate();
        continue;
      }
      e.alive = false;
      e.ws.ping();
      if (e.sessionId && !sessions.has(e.sessionId)) sessions.set(e.sessionId, await this.isSessionAlive(e.sessionId).catch(() => true));
    }
    const dead = [...sessions].filter(([, alive]) => !alive).map(([id]) => id);
    if (dead.length) this.closeSessions(dead, "session expired");
  }

  closeAll(code = 1001, reason = "server shutting down"): void {
    for (const e of this.entries) e.ws.close(code, reason);
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
