// /ws/console: every console needs a one-time ticket on top of the session. Tickets and
// the byte path arrive with the consoles work; until then an authenticated upgrade is
// still refused, so nothing is reachable that is not built.
import type { IncomingMessage } from "node:http";
import type { Services } from "../services";
import { isRefusal, sessionAuthenticator, type WsRoute } from "./upgrade";

export function consoleRoute(svc: Services): WsRoute<null> {
  const session = sessionAuthenticator(svc);
  return {
    maxPayload: 1024 * 1024,
    async authenticate(req: IncomingMessage, url: URL) {
      const s = await session(req, url);
      if (isRefusal(s)) return s;
      return { status: 401, message: "A console ticket is required" };
    },
    onConnection: (ws) => ws.close(1011, "unreachable"),
  };
}
