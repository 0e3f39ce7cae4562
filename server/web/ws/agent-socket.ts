// /ws/agent: agents dial in with their host credential (Authorization: Bearer …).
import type { IncomingMessage } from "node:http";
import { MAX_FRAME_BYTES } from "../../protocol";
import type { Host } from "../db/client";
import type { Services } from "../services";
import { findHostByCredential } from "../agents/hosts";
import type { WsRoute } from "./upgrade";

export function agentRoute(svc: Services): WsRoute<Host> {
  return {
    maxPayload: MAX_FRAME_BYTES,
    async authenticate(req: IncomingMessage) {
      const m = /^Bearer ([A-Za-z0-9_-]{20,128})$/.exec(req.headers.authorization ?? "");
      if (!m?.[1])
        return {
          status: 401,
          message: "Host credential required (Authorization: Bearer …)",
          audit: { actor: "agent", reason: "credential-missing" },
        };
      const host = await findHostByCredential(svc.db, m[1]);
      return host ?? { status: 401, message: "Unknown host credential", audit: { actor: "agent", reason: "credential-unknown" } };
    },
    onConnection(ws, _req, host) {
      svc.hub.attach(host.id, host.name, ws);
    },
  };
}
