// The console relay process. Console bytes are relayed here rather than in the server
// process: the server carries Next.js and a heap of ~150 MB, and every console byte
// allocates buffers whose garbage then costs full collections of that heap (measured: a
// third of the relay's CPU). This process loads only `ws` and the relay, so its heap stays
// a few MB. It never authenticates anything: the server checks tickets, sessions and
// rights before it hands a socket over, and tells this process when to close one.
import type { IncomingMessage } from "node:http";
import { Socket } from "node:net";
import { WebSocketServer, type WebSocket } from "ws";
import { CONSOLE_SUBPROTOCOL, RAW_UPGRADE_ACCEPT, type StreamKind } from "../../protocol/console";
import { CONSOLE_MAX_PAYLOAD, type RelayCommand, type RelayReport } from "./messages";
import { StreamRelay } from "./stream-relay";
import { splice } from "./splice";

interface Channel {
  kind: StreamKind;
  ws: WebSocket | null;
  relay: StreamRelay | null;
  socket: Socket;
  /** A ping was sent and its pong not yet reported: unsolicited pongs are not passed on. */
  pingOut: boolean;
}

const channels = new Map<string, Channel>();
/** Peers' hops waiting for their agent's connection (it follows the splice command at once). */
const hops = new Map<string, { peer: Socket; head: Buffer }>();
/** Hops spliced to their agent: how to close each. */
const spliced = new Map<string, () => void>();
const wss = new WebSocketServer({
  noServer: true,
  maxPayload: CONSOLE_MAX_PAYLOAD,
  handleProtocols: (offered: Set<string>) => (offered.has(CONSOLE_SUBPROTOCOL) ? CONSOLE_SUBPROTOCOL : false),
});

function report(r: RelayReport): void {
  if (process.connected) process.send?.(r);
}

function adopt(m: Extract<RelayCommand, { type: "adopt" }>, socket: Socket): void {
  const ch: Channel = { kind: m.kind, ws: null, relay: null, socket, pingOut: false };
  channels.set(m.channel, ch);
  // ws rejects a malformed handshake by answering 400 and closing, without a callback.
  socket.once("close", () => {
    if (ch.ws) return;
    channels.delete(m.channel);
    report({ type: "closed", channel: m.channel, code: 1006, reason: "websocket handshake failed" });
  });
  // handleUpgrade reads only the method, URL and headers of the request.
  const req = m.req as unknown as IncomingMessage;
  wss.handleUpgrade(req, socket, Buffer.from(m.head, "base64"), (ws) => {
    ch.ws = ws;
    ch.relay = new StreamRelay(ws, m.kind, { onResize: (cols, rows) => report({ type: "resize", channel: m.channel, cols, rows }) });
    ws.on("pong", () => {
      if (!ch.pingOut) return;
      ch.pingOut = false;
      report({ type: "pong", channel: m.channel });
    });
    ws.once("close", (code: number, reason: Buffer) => {
      channels.delete(m.channel);
      report({ type: "closed", channel: m.channel, code, reason: reason.toString("utf8") });
    });
    report({ type: "open", channel: m.channel });
  });
}

function command(m: RelayCommand, handle: unknown): void {
  const socket = handle instanceof Socket ? handle : null;
  // A peer that resets the connection must cost its own console, never this process.
  socket?.on("error", () => socket.destroy());
  if (m.type === "adopt") return socket ? adopt(m, socket) : undefined;
  if (m.type === "splice") return void (socket && hops.set(m.channel, { peer: socket, head: Buffer.from(m.head, "base64") }));
  const hop = hops.get(m.channel);
  if (hop) return spliceCommand(m, m.channel, hop, socket);
  // close or terminate: a hop ends at once (no websocket here to say why).
  const stop = spliced.get(m.channel);
  if (stop) return void (m.type === "close" || m.type === "terminate" ? stop() : socket?.destroy());
  const ch = channels.get(m.channel);
  switch (m.type) {
    case "agent":
      if (!socket) return;
      if (!ch?.relay) return void socket.destroy();
      // The agent sends nothing before it reads this answer; `head` holds whatever the
      // server had read of it anyway (normally nothing).
      if (!m.answered) socket.write(RAW_UPGRADE_ACCEPT);
      if (m.head) socket.unshift(Buffer.from(m.head, "base64"));
      return ch.relay.attach(socket);
    case "close":
      // Input stops at once (take over, revoked rights); the browser still gets the reason.
      ch?.relay?.detachAgent();
      if (!ch?.ws) return void ch?.socket.destroy();
      try {
        ch.ws.close(m.code, m.reason);
      } catch {
        ch.ws.terminate();
      }
      return;
    case "ping":
      if (!ch?.ws) return;
      ch.pingOut = true;
      return ch.ws.ping();
    case "terminate":
      if (ch?.ws) ch.ws.terminate();
      else ch?.socket.destroy();
      return;
  }
}

/** The commands for a peer's hop: its agent's connection, or a close before that. */
function spliceCommand(m: RelayCommand, channel: string, hop: { peer: Socket; head: Buffer }, socket: Socket | null): void {
  hops.delete(channel);
  if (m.type !== "agent" || !socket) {
    hop.peer.destroy();
    socket?.destroy();
    return report({ type: "closed", channel, code: 1006, reason: "hop closed" });
  }
  // The peer first (its relay passes what follows to the browser), then the agent, which
  // sends nothing (a VNC greeting) before it reads its answer.
  hop.peer.write(RAW_UPGRADE_ACCEPT);
  socket.write(RAW_UPGRADE_ACCEPT);
  report({ type: "open", channel });
  const stop = splice(hop.peer, hop.head, socket, Buffer.from(m.head, "base64"), () => {
    spliced.delete(channel);
    report({ type: "closed", channel, code: 1000, reason: "" });
  });
  spliced.set(channel, stop);
}

process.on("message", (m: RelayCommand, handle: unknown) => command(m, handle));
// The server is gone: its consoles go with it.
process.on("disconnect", () => process.exit(0));
report({ type: "ready" });
