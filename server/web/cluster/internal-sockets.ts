// The agent's server side of a console hop (decision 0005, consoles): /internal/stream, a
// raw upgrade from a peer server whose browser asked for a console, logs or a shell of a
// host whose agent is connected here. Only the cluster secret is checked: the peer has
// redeemed the ticket and checked the right, and it closes this stream when that right
// goes. Here the agent is asked to dial in as for a local browser, and its connection is
// spliced to the peer's. This server never forwards again: a host not held here is refused.
import type { Socket } from "node:net";
import { RAW_UPGRADE_ACCEPT } from "../../protocol";
import type { Services } from "../services";
import { refuse, type WsRoute } from "../ws/upgrade";
import { CLUSTER_HEADER, isClusterRequest } from "./internal-auth";
import { decodeStreamRequest, STREAM_REQUEST_HEADER, type PeerStreamRequest } from "./stream-request";
import { splice } from "./splice";

export function internalStreamRoute(svc: Services): WsRoute<PeerStreamRequest> {
  return {
    async authenticate(req) {
      // Before anything else is read: no secret, no stream (and nothing reaches an agent).
      if (!isClusterRequest(svc.config.clusterSecret, req.headers[CLUSTER_HEADER]))
        return { status: 401, message: "Internal route: cluster secret required", audit: { actor: "peer", reason: "cluster-secret" } };
      const r = decodeStreamRequest(req.headers[STREAM_REQUEST_HEADER]);
      if ("refused" in r) return { status: 400, message: r.refused };
      if (!svc.hub.isOnline(r.hostId)) return { status: 503, message: "The host's agent is not connected to this server" };
      if (!svc.consoles.available) return { status: 503, message: "The console relay is restarting: try again in a moment" };
      return r;
    },
    raw(socket, head, _req, r) {
      // The peer waits for the answer; the agent is asked to dial in meanwhile.
      socket.pause();
      let spliced = false;
      const closed = () => !socket.writable || socket.destroyed;
      svc.consoles
        .openAgentStream(r, r.channel, (agent: Socket, agentHead: Buffer) => {
          if (closed()) return void agent.destroy();
          spliced = true;
          // The peer first (its relay then passes what follows), then the agent, which
          // sends nothing (a VNC greeting) before it reads this answer.
          socket.write(RAW_UPGRADE_ACCEPT);
          agent.write(RAW_UPGRADE_ACCEPT);
          splice(socket, head, agent, agentHead);
        })
        .catch((err: unknown) => {
          const message = err instanceof Error ? err.message : String(err);
          if (spliced) return void socket.destroy();
          if (!closed()) refuse(socket, { status: 409, message: message.slice(0, 200) });
        });
    },
  };
}
