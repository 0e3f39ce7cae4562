// /ws/events: one socket per browser tab. It carries live changes the user may see; the
// client applies them to its query cache. (Resource events join with the agent hub.)
import type { WebSocket } from "ws";
import type { ValidSession } from "../auth/sessions";
import type { Services } from "../services";
import type { WsRoute } from "./upgrade";
import type { BrowserEvent } from "../../protocol";
import { sessionAuthenticator } from "./upgrade";

export function eventsRoute(svc: Services): WsRoute<ValidSession> {
  return {
    authenticate: sessionAuthenticator(svc),
    maxPayload: 64 * 1024,
    onConnection(ws: WebSocket, _req, auth) {
      svc.sockets.add(ws, auth.session.id);
      const send = (e: BrowserEvent) => {
        // A browser that stops reading must not make the server buffer without bound:
        // past 4 MiB queued it is cut, and refetches everything when it reconnects.
        if (ws.bufferedAmount > 4 * 1024 * 1024) return ws.terminate();
        ws.send(JSON.stringify(e));
      };
      send({ type: "hello", serverTime: Date.now(), user: auth.user.username });
      // Every user is an admin today; per-object filtering plugs in here with roles.
      const unsubscribe = svc.bus.subscribe(send);
      ws.on("close", unsubscribe);
      ws.on("message", (data) => {
        // Browsers only send pings and (later) subscriptions; anything else is answered
        // with an error, never crashing the server.
        let msg: unknown;
        try {
          msg = JSON.parse(String(data));
        } catch {
          ws.send(JSON.stringify({ type: "error", message: "messages must be JSON" }));
          return;
        }
        if (typeof msg === "object" && msg && (msg as { type?: unknown }).type === "ping") {
          ws.send(JSON.stringify({ type: "pong", serverTime: Date.now() }));
        } else {
          ws.send(JSON.stringify({ type: "error", message: "unknown message type" }));
        }
      });
    },
  };
}
