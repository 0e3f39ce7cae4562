// /ws/agent-data?channel=ID: the data connection an agent dials for one console,
// authenticated by its host credential AND the one-time channel token it was given in
// console.open. It upgrades to a raw byte stream (Upgrade: hangar-relay): only the
// browser's hop is framed as websocket, as with a one-hop proxy.
import type { IncomingMessage } from "node:http";
import { CHANNEL_TOKEN_HEADER } from "../../protocol";
import { findHostByCredential } from "../agents/hosts";
import type { Services } from "../services";
import type { WsRoute } from "./upgrade";

export function agentDataRoute(svc: Services): WsRoute<{ hostId: string; actor: string; target: string; channel: string; token: string }> {
  return {
    maxPayload: 4 * 1024 * 1024,
    async authenticate(req: IncomingMessage, url: URL) {
      const m = /^Bearer ([A-Za-z0-9_-]{20,128})$/.exec(req.headers.authorization ?? "");
      if (!m?.[1]) return { status: 401, message: "Host credential required", audit: { actor: "agent", reason: "credential-missing" } };
      const host = await findHostByCredential(svc.db, m[1]);
      if (!host) return { status: 401, message: "Unknown host credential", audit: { actor: "agent", reason: "credential-unknown" } };
      const channel = url.searchParams.get("channel") ?? "";
      const token = String(req.headers[CHANNEL_TOKEN_HEADER] ?? "");
      const actor = `agent:${host.name}`;
      const target = `channel ${channel.slice(0, 64)}`;
      if (!svc.consoles.isPending(channel))
        return { status: 404, message: "No such console channel", audit: { actor, reason: "channel-unknown", target } };
      return { hostId: host.id, actor, target, channel, token };
    },
    raw(socket, head, _req, a) {
      // A valid host with a channel token that does not match (or a channel of another host).
      if (!svc.consoles.attachAgent(a.hostId, a.channel, a.token, socket, head))
        return { status: 403, message: "Channel token refused", audit: { actor: a.actor, reason: "channel-token", target: a.target } };
    },
    onConnection(ws) {
      ws.close(4400, "console data uses Upgrade: hangar-relay");
    },
  };
}
