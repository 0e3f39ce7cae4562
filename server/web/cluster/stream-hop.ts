// The browser's server side of a console hop (decision 0005, consoles): the host's agent is
// connected to a peer, so this server dials the peer's internal URL with a raw upgrade
// (`Upgrade: hangar-relay`, the cluster secret, the already-authorised request) and hands
// the answered connection to its console relay as it would the agent's own. Bytes then go
// browser ⇄ relay process here ⇄ peer ⇄ agent: one extra hop, no framing added on it.
import http from "node:http";
import type { Socket } from "node:net";
import { RAW_UPGRADE } from "../../protocol";
import type { RelayedSocket } from "../console-relay/relay-process";
import type { StreamHop } from "../consoles/broker";
import type { Services } from "../services";
import { clusterHeaders } from "./internal-auth";
import { encodeStreamRequest, INTERNAL_RESIZE_PATH, INTERNAL_STREAM_PATH, STREAM_REQUEST_HEADER, type PeerStreamRequest } from "./stream-request";

/** The peer answers once its agent dialled in; it waits 10 s for that itself. */
const HOP_TIMEOUT_MS = 15_000;

export interface Peer {
  serverId: string;
  url: string;
}

/**
 * Opens the raw stream on the peer: resolves with the upgraded connection and the bytes
 * that came with the answer, or rejects with the peer's refusal (its message, e.g. the
 * agent's "domain is not running"), which the console then closes with.
 */
export function dialPeerStream(peer: Peer, secret: string, r: PeerStreamRequest, signal?: AbortSignal): Promise<{ socket: Socket; head: Buffer }> {
  return new Promise((resolve, reject) => {
    const url = new URL(INTERNAL_STREAM_PATH, peer.url);
    const req = http.request(url, {
      method: "GET",
      headers: { ...clusterHeaders(secret), Connection: "Upgrade", Upgrade: RAW_UPGRADE, [STREAM_REQUEST_HEADER]: encodeStreamRequest(r) },
      timeout: HOP_TIMEOUT_MS,
      signal,
    });
    req.once("upgrade", (res, socket: Socket, head: Buffer) => {
      if (String(res.headers.upgrade ?? "").toLowerCase() !== RAW_UPGRADE) {
        socket.destroy();
        return reject(new Error("the peer server answered with another protocol"));
      }
      socket.setTimeout(0);
      resolve({ socket, head });
    });
    // Any answer but 101 is a refusal: its JSON body says why.
    req.once("response", (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body.length < 4096 ? (body += c) : undefined));
      res.on("end", () => {
        let message = `the peer server refused the stream (${res.statusCode})`;
        try {
          message = (JSON.parse(body) as { error: { message: string } }).error.message || message;
        } catch {
          /* not JSON: the status says it */
        }
        reject(new Error(message));
      });
    });
    req.once("timeout", () => req.destroy(new Error("the peer server did not open the stream in time")));
    req.once("error", (err) => reject(new Error(`the peer server is unreachable: ${err.message}`)));
    req.end();
  });
}

/** A hop for one console: `request` less the channel, which the broker picks. */
export function peerHop(peer: Peer, secret: string, request: Omit<PeerStreamRequest, "channel">): StreamHop {
  return {
    async open(browser: RelayedSocket, channel: string): Promise<void> {
      // A browser that leaves while the peer is still dialling its agent cancels the hop.
      const ctl = new AbortController();
      const gone = () => ctl.abort();
      browser.once("close", gone);
      try {
        const { socket, head } = await dialPeerStream(peer, secret, { ...request, channel }, ctl.signal);
        socket.setNoDelay(true);
        browser.attachAgent(socket, head, true);
      } finally {
        browser.off("close", gone);
      }
    },
    async resize(channel, cols, rows) {
      const res = await fetch(new URL(INTERNAL_RESIZE_PATH, peer.url), {
        method: "POST",
        headers: { ...clusterHeaders(secret), "content-type": "application/json" },
        body: JSON.stringify({ channel, cols, rows }),
        signal: AbortSignal.timeout(HOP_TIMEOUT_MS),
      });
      if (!res.ok) throw new Error(`the peer server refused the resize (${res.status}): ${await res.text()}`);
    },
  };
}

/**
 * The live peer that holds the host's agent, when this server does not (and can reach its
 * peers): where the host's streams go. Decided by the presence row, not by this server's
 * hub, which may not know the host at all.
 */
export async function peerHolding(svc: Pick<Services, "hub" | "peers" | "config">, hostId: string): Promise<Peer | null> {
  if (svc.hub.isLocal(hostId) || !svc.peers || !svc.config.clusterSecret) return null;
  const h = await svc.peers.holder(hostId);
  return h && h.serverId !== svc.peers.serverId ? h : null;
}
