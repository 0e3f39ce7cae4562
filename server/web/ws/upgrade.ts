// Websocket upgrades on the one HTTP port. Each path authenticates and checks Origin
// BEFORE handleUpgrade, so a refused client never gets a websocket (no byte of a console
// or event stream). Any path not listed is refused. A refused session, ticket, credential
// or permission is audited (who when known, what, from where, why), throttled so that a
// flood writes a bounded number of rows (audit.ts: RefusalLog).
import type { IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";
import type { Services } from "../services";
import { checkOrigin } from "../http/origin";
import { parseCookies, sessionCookieName } from "../http/cookies";
import type { ValidSession } from "../auth/sessions";
import { RAW_UPGRADE } from "../../protocol";
import { RefusalLog } from "../audit";

export interface UpgradeRefusal {
  status: 400 | 401 | 403 | 404 | 409 | 429 | 503;
  message: string;
  /** Set on refusals of a session, ticket, credential or permission: these are audited. */
  audit?: {
    /** A stable code: "session-missing", "ticket-used", "credential-unknown"… */
    reason: string;
    actor?: string;
    userId?: string | null;
    /** What was asked for, when more is known than the path. */
    target?: string;
    details?: Record<string, unknown>;
  };
}

export type Authenticator<A> = (req: IncomingMessage, url: URL) => Promise<A | UpgradeRefusal>;

export interface WsRoute<A = unknown> {
  authenticate: Authenticator<A>;
  /** Largest message accepted on this path (websockets accepted here, by onConnection). */
  maxPayload?: number;
  /** The subprotocol this path answers with (browsers that offered it get it back). */
  protocol?: string;
  /**
   * Handles `Upgrade: hangar-relay` instead of a websocket: after the same checks, the
   * connection becomes a plain byte stream (agents' console data: no framing, no masking).
   * The handler answers it (acceptRaw) or hands it on unanswered.
   */
  raw?: (socket: Socket, head: Buffer, req: IncomingMessage, auth: A) => UpgradeRefusal | void;
  /**
   * Takes the authenticated upgrade as it is, for another process to answer the websocket
   * handshake (consoles: see console-relay/). Used instead of onConnection.
   */
  adopt?: (socket: Socket, head: Buffer, req: IncomingMessage, auth: A) => void;
  onConnection?: (ws: WebSocket, req: IncomingMessage, auth: A) => void;
}

const REASONS: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  409: "Conflict",
  429: "Too Many Requests",
  503: "Service Unavailable",
};

export function refuse(socket: Duplex, r: UpgradeRefusal): void {
  const body = JSON.stringify({ error: { message: r.message } });
  socket.end(
    `HTTP/1.1 ${r.status} ${REASONS[r.status]}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

export function isRefusal(x: unknown): x is UpgradeRefusal {
  return typeof x === "object" && x !== null && "status" in x && "message" in x && typeof (x as UpgradeRefusal).status === "number";
}

/** Session-cookie authentication for browser sockets. */
export function sessionAuthenticator(svc: Services): Authenticator<ValidSession> {
  return async (req) => {
    const token = parseCookies(req.headers.cookie).get(sessionCookieName(svc.config));
    const valid = await svc.sessions.validate(token);
    // A cookie that names no live session: expired, revoked, or made up.
    if (!valid)
      return { status: 401, message: "Sign in to continue: no valid session", audit: { reason: token ? "session-invalid" : "session-missing" } };
    // The TOTP policy wants a second factor this user has not set up: nothing but enrolment.
    if (svc.totp.mustEnrol(valid.user)) return { status: 403, message: "Set up two-factor sign-in first", audit: { reason: "totp-enrolment" } };
    return valid;
  };
}

/** The client's address: the socket's, or the trusted proxy's X-Forwarded-For (as for requests in main.ts). */
export function clientIp(svc: Services, req: IncomingMessage): string {
  const fwd = svc.config.trustProxy
    ? String(req.headers["x-forwarded-for"] ?? "")
        .split(",")[0]
        ?.trim()
    : "";
  return fwd || req.socket.remoteAddress || "";
}

export function createUpgradeHandler(
  svc: Services,
  routes: Record<string, WsRoute<any>>, // eslint-disable-line @typescript-eslint/no-explicit-any -- each route has its own auth type
  fallback?: (req: IncomingMessage, socket: Duplex, head: Buffer) => void,
) {
  const servers = new Map<string, WebSocketServer>();
  for (const [path, r] of Object.entries(routes)) {
    if (!r.onConnection) continue;
    const proto = r.protocol;
    servers.set(
      path,
      new WebSocketServer({
        noServer: true,
        maxPayload: r.maxPayload,
        ...(proto ? { handleProtocols: (offered: Set<string>) => (offered.has(proto) ? proto : false) } : {}),
      }),
    );
  }

  const refusals = new RefusalLog(svc.db);
  const refuseAudited = (socket: Duplex, req: IncomingMessage, path: string, r: UpgradeRefusal) => {
    if (r.audit) {
      const a = r.audit;
      refusals.record({
        actor: a.actor,
        userId: a.userId,
        target: a.target ?? path,
        reason: a.reason,
        status: r.status,
        message: r.message,
        ip: clientIp(svc, req),
        details: a.details,
      });
    }
    refuse(socket, r);
  };

  const handler = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    socket.on("error", () => socket.destroy());
    const url = new URL(req.url ?? "/", "http://local");
    const r = routes[url.pathname];
    const wss = servers.get(url.pathname);
    if (!r) {
      if (fallback && url.pathname.startsWith("/_next/")) return fallback(req, socket, head);
      return refuse(socket, { status: 404, message: "No websocket at this path" });
    }
    const origin = checkOrigin(svc.config, {
      origin: typeof req.headers.origin === "string" ? req.headers.origin : null,
      host: req.headers.host ?? null,
      forwardedProto: (req.headers["x-forwarded-proto"] as string | undefined) ?? null,
    });
    if (origin === "cross")
      return refuseAudited(socket, req, url.pathname, {
        status: 403,
        message: "Cross-origin websocket refused",
        audit: { reason: "cross-origin", details: { origin: String(req.headers.origin).slice(0, 200) } },
      });
    r.authenticate(req, url)
      .then((auth) => {
        if (isRefusal(auth)) return refuseAudited(socket, req, url.pathname, auth);
        if (socket.destroyed) return;
        if (r.raw && String(req.headers.upgrade ?? "").toLowerCase() === RAW_UPGRADE) {
          const refused = r.raw(socket as Socket, head, req, auth);
          if (refused) refuseAudited(socket, req, url.pathname, refused);
          return;
        }
        if (r.adopt) return r.adopt(socket as Socket, head, req, auth);
        if (!wss) return refuse(socket, { status: 400, message: "This path takes no websocket" });
        wss.handleUpgrade(req, socket, head, (ws) => r.onConnection?.(ws, req, auth));
      })
      .catch((err: unknown) => {
        console.error("[ws] upgrade failed:", err);
        refuse(socket, { status: 503, message: "Upgrade failed" });
      });
  };
  const close = () => {
    for (const wss of servers.values()) wss.close();
    // What the throttle held back is summarised before the database closes.
    void refusals.flush();
  };
  return { handler, close };
}
