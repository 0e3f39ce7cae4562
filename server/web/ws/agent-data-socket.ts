// /ws/agent-data?channel=ID: the data connection an agent dials for one console,
// authenticated by its host credential AND the one-time channel token it was given in
// console.open. It upgrades to a raw byte stream (Upgrade: hangar-relay): only the
// browser's hop is framed as websocket, as with a one-hop proxy.
import type { IncomingMessage } from "node:http";
import { CHANNEL_TOKEN_HEADER } from "../../protocol";
import { findHostByCredential } from "../agents/hosts";
import type { Services } from "../services";
import type { WsRoute } from "./upgrade";

export function agentDataRoute(svc: Services): WsRoute<{ hostId: string; channel: string; token: string }> {
  return {
    maxPayload: 4 * 1024 * 1024,
    async authenticate(req: IncomingMessage, url: URL) {
      const m = /^Bearer ([A-Za-z0-9_-]{20,128})$/.exec(req.headers.authorization ?? "");
      if (!m?.[1]) return { status: 401, message: "Host credential required" };
      const host = await findHostByCredential(svc.db, m[1]);
      if (!host) return { status: 401, message: "Unknown host credential" };
      const channel = url.searchParams.get("channel") ?? "";
      const token = String(req.headers[CHANNEL_TOKEN_HEADER] ?? "");
      if (!svc.consoles.isPending(channel)) return { status: 404, message: "No such console channel" };
      return { hostId: host.id, channel, token };
    },
    raw(socket, head, _req, a) {
      if (!svc.consoles.attachAgent(a.hostId, a.channel, a.token, socket, head)) socket.destroy();
    },
    onConnection(ws) {
      ws.close(4400, "console data uses Upgrade: hangar-relay");
    },
  };
}
