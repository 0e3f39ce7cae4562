// Console relays on the agent: for console.open the agent finds the VNC endpoint in the
// domain's own XML, dials the server's /ws/agent-data with the one-time channel token and
// pipes bytes between that socket and the VNC server. Streams carry backpressure both
// ways, so a slow browser slows the VNC reads instead of growing buffers.
import net from "node:net";
import WebSocket from "ws";
import { CHANNEL_TOKEN_HEADER, type DomainSummary } from "../protocol";
import { DriverError } from "./drivers/driver";
import type { SerialHub } from "./serial-hub";

export interface ConsoleOpenParams {
  uuid: string;
  kind: "vnc" | "serial";
  channel: string;
  token: string;
}

const HWM = 256 * 1024;
const MAX_FRAME = 1024 * 1024;
const open = new Set<WebSocket>();

/** Where the domain's VNC server listens, from its live XML; never from the caller. */
export function vncEndpoint(d: DomainSummary): { host: string; port: number } | { path: string } {
  const g = d.graphics.find((x) => x.type === "vnc");
  if (!g) throw new DriverError("invalid_state", `${d.name} has no VNC graphics device`);
  if (g.socket) return { path: g.socket };
  if (!g.port || g.port <= 0) throw new DriverError("invalid_state", `${d.name}'s VNC server is not listening (is it running?)`);
  const listen = !g.listen || g.listen === "0.0.0.0" ? "127.0.0.1" : g.listen === "::" ? "::1" : g.listen;
  return { host: listen, port: g.port };
}

function dataSocket(serverUrl: string, credential: string, p: ConsoleOpenParams): WebSocket {
  const url = `${serverUrl.replace(/^http/, "ws").replace(/\/$/, "")}/ws/agent-data?channel=${encodeURIComponent(p.channel)}`;
  const ws = new WebSocket(url, {
    headers: { Authorization: `Bearer ${credential}`, [CHANNEL_TOKEN_HEADER]: p.token },
    perMessageDeflate: false,
    // Client frames must be masked so that a transparent proxy cannot mistake guest-made
    // bytes for HTTP. Over TLS or loopback no such proxy can see them, and an all-zero mask
    // lets ws skip masking and unmasking (a JavaScript loop over every console byte).
    ...(noProxyCanSee(url) ? { generateMask: (mask: Buffer) => void mask.fill(0) } : {}),
  });
  open.add(ws);
  ws.once("close", () => open.delete(ws));
  ws.on("error", () => undefined);
  return ws;
}

function noProxyCanSee(url: string): boolean {
  const u = new URL(url);
  return u.protocol === "wss:" || ["127.0.0.1", "localhost", "[::1]"].includes(u.hostname);
}

export async function openConsole(serverUrl: string, credential: string, domain: DomainSummary, p: ConsoleOpenParams, serial: SerialHub): Promise<{ endpoint: string }> {
  if (p.kind === "serial") {
    if (!domain.serials.length) throw new DriverError("invalid_state", `${domain.name} has no serial console`);
    const ws = dataSocket(serverUrl, credential, p);
    ws.once("open", () => {
      serial.attach(domain.uuid, ws).catch((err: unknown) => ws.close(1011, `serial console: ${(err as Error).message}`.slice(0, 120)));
    });
    return { endpoint: "serial0" };
  }
  const ep = vncEndpoint(domain);
  const target = "path" in ep ? net.connect({ path: ep.path }) : net.connect({ host: ep.host, port: ep.port });
  await new Promise<void>((resolve, reject) => {
    target.once("connect", resolve);
    target.once("error", (e) => reject(new DriverError("invalid_state", `cannot reach the VNC server: ${e.message}`)));
  });
  target.setNoDelay(true);
  const ws = dataSocket(serverUrl, credential, p);
  ws.once("unexpected-response", (_r, res) => {
    res.resume();
    target.destroy();
  });
  ws.once("error", () => target.destroy());
  ws.once("open", () => {
    const end = () => {
      target.destroy();
      ws.terminate();
    };
    // VNC → server: pause the VNC socket while the websocket has more than HWM unsent.
    // Reads that arrive in the same turn of the event loop go out as one frame: fewer,
    // larger frames cost less on both hops, and a lone key echo is not delayed.
    let paused = false;
    let batch: Buffer[] = [];
    let batchBytes = 0;
    const flush = () => {
      if (!batch.length) return;
      const data = batch.length === 1 ? batch[0]! : Buffer.concat(batch, batchBytes);
      batch = [];
      batchBytes = 0;
      ws.send(data, { binary: true }, () => {
        if (paused && ws.bufferedAmount < HWM / 2) {
          paused = false;
          target.resume();
        }
      });
      if (!paused && ws.bufferedAmount > HWM) {
        paused = true;
        target.pause();
      }
    };
    target.on("data", (chunk: Buffer) => {
      if (!batch.length) setImmediate(flush);
      batch.push(chunk);
      batchBytes += chunk.length;
      if (batchBytes >= MAX_FRAME) flush();
    });
    // server → VNC: pause the websocket while the TCP socket's buffer is full.
    ws.on("message", (data: Buffer) => {
      if (!target.write(data)) {
        ws.pause();
        target.once("drain", () => ws.resume());
      }
    });
    target.once("close", end);
    target.once("error", end);
    ws.once("close", end);
  });
  return { endpoint: "path" in ep ? `unix:${ep.path}` : `${ep.host}:${ep.port}` };
}

export function openConsoleCount(): number {
  return open.size;
}
