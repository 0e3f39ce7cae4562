// /ws/console and /ws/agent authenticate already; what they carry arrives with the console
// and agent-hub work. Until then an authenticated upgrade is still refused (no ticket / no
// hub), so nothing is reachable that is not built.
import type { IncomingMessage } from "node:http";
import type { Services } from "../services";
import { hashToken } from "../auth/tokens";
import type { WsRoute } from "./upgrade";

export function consoleRoute(svc: Services): WsRoute<null> {
  return {
    maxPayload: 1024 * 1024,
    async authenticate(req: IncomingMessage) {
      const { sessionAuthenticator, isRefusal } = await import("./upgrade");
      const s = await sessionAuthenticator(svc)(req, new URL("http://x"));
      if (isRefusal(s)) return s;
      return { status: 401, message: "A console ticket is required" };
    },
    onConnection: (ws) => ws.close(1011, "unreachable"),
  };
}

export function agentRoute(svc: Services): WsRoute<null> {
  return {
    maxPayload: 1024 * 1024,
    async authenticate(req: IncomingMessage) {
      const auth = req.headers.authorization ?? "";
      const m = /^Bearer ([A-Za-z0-9_-]{20,128})$/.exec(auth);
      if (!m?.[1]) return { status: 401, message: "Host credential required (Authorization: Bearer …)" };
      const host = await svc.db.host.findUnique({ where: { credentialHash: hashToken(m[1]) } });
      if (!host) return { status: 401, message: "Unknown host credential" };
      return { status: 503, message: "Agent hub not available yet" };
    },
    onConnection: (ws) => ws.close(1011, "unreachable"),
  };
}
