// /ws/console: a browser presents a one-time ticket (as a subprotocol) on top of its
// session. Everything is checked before the upgrade: session alive, ticket live and
// unused, bound to this very user and session, the right to the console still held.
import type { IncomingMessage } from "node:http";
import { TICKET_PROTOCOL_PREFIX } from "../../protocol";
import { authorize } from "../auth/permissions";
import { consolePermission } from "../consoles/broker";
import type { TicketClaims } from "../consoles/tickets";
import type { ValidSession } from "../auth/sessions";
import type { Services } from "../services";
import { isRefusal, sessionAuthenticator, type WsRoute } from "./upgrade";
import { peerHolding, peerHop, type Peer } from "../cluster/stream-hop";

type ConsoleAuth = { session: ValidSession; claims: TicketClaims; peer: Peer | null };

export function ticketFromProtocols(header: string | undefined): string | null {
  const offered = (header ?? "").split(",").map((s) => s.trim());
  const t = offered.find((p) => p.startsWith(TICKET_PROTOCOL_PREFIX));
  return t ? t.slice(TICKET_PROTOCOL_PREFIX.length) : null;
}

export function consoleRoute(svc: Services): WsRoute<ConsoleAuth> {
  const sessionAuth = sessionAuthenticator(svc);
  return {
    async authenticate(req: IncomingMessage, url: URL) {
      const session = await sessionAuth(req, url);
      if (isRefusal(session)) return session;
      // From here on the refusals name who tried (the session's user) and, when the ticket
      // is known, which console it was for and whose it was.
      const who = { actor: session.user.username, userId: session.user.id };
      const ticket = ticketFromProtocols(req.headers["sec-websocket-protocol"]);
      if (!ticket) return { status: 401, message: "A console ticket is required", audit: { ...who, reason: "ticket-missing" } };
      const r = await svc.consoleTickets.redeem(ticket);
      const c = r.claims;
      const target = c ? `console ${c.kind} ${c.uuid} on ${c.hostId}` : undefined;
      const owner = c ? { ticketUserId: c.userId, ticketSessionId: c.sessionId.slice(0, 8) } : undefined;
      if ("refused" in r)
        return {
          status: 401,
          message: "Console ticket invalid, expired or already used",
          audit: { ...who, reason: r.refused, target, details: owner },
        };
      const claims = r.claims;
      if (claims.userId !== session.user.id || claims.sessionId !== session.session.id)
        return {
          status: 403,
          message: "This console ticket belongs to another session",
          audit: { ...who, reason: "ticket-foreign", target, details: owner },
        };
      const container = claims.kind === "exec" || claims.kind === "logs";
      const permission = consolePermission(claims.kind);
      const allowed = authorize(
        svc.access,
        session.user,
        permission,
        container ? { type: "container", id: claims.uuid, hostId: claims.hostId } : { type: "vm", id: claims.uuid, hostId: claims.hostId },
      );
      if (!allowed)
        return { status: 403, message: "You may not open this console", audit: { ...who, reason: "permission", target, details: { permission } } };
      // Another server holds the host's agent: the stream goes through it (one hop).
      const peer = await peerHolding(svc, claims.hostId);
      if (!peer && !svc.hub.isLocal(claims.hostId)) return { status: 503, message: "The host is offline" };
      if (!svc.consoles.available) return { status: 503, message: "The console relay is restarting: try again in a moment" };
      return { session, claims, peer };
    },
    adopt(socket, head, req, { session, claims, peer }) {
      const v = {
        hostId: claims.hostId,
        uuid: claims.uuid,
        kind: claims.kind,
        user: session.user.username,
        userId: session.user.id,
        takeover: claims.takeover,
        cols: claims.cols,
        rows: claims.rows,
      };
      const { takeover: _, ...asked } = v;
      const ws = svc.consoles.open(socket, head, req, v, peer && svc.config.clusterSecret ? peerHop(peer, svc.config.clusterSecret, asked) : null);
      svc.sockets.add(ws, session.session.id);
    },
  };
}
