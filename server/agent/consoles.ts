// Console relays on the agent: for console.open the agent finds the VNC endpoint in the
// domain's own XML, dials the server's /ws/agent-data with the one-time channel token and
// pipes bytes between that socket and the VNC server. Streams carry backpressure both
// ways, so a slow browser slows the VNC reads instead of growing buffers.
import net from "node:net";
import { pipeline } from "node:stream";
import WebSocket, { createWebSocketStream } from "ws";
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
  const ws = new WebSocket(url, { headers: { Authorization: `Bearer ${credential}`, [CHANNEL_TOKEN_HEADER]: p.token }, perMessageDeflate: false });
  open.add(ws);
  ws.once("close", () => open.delete(ws));
  ws.on("error", () => undefined);
  return ws;
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
    const wss = createWebSocketStream(ws, { readableHighWaterMark: HWM, writableHighWaterMark: HWM });
    const end = () => {
      target.destroy();
      ws.terminate();
    };
    pipeline(wss, target, end);
    pipeline(target, wss, end);
  });
  return { endpoint: "path" in ep ? `unix:${ep.path}` : `${ep.host}:${ep.port}` };
}

export function openConsoleCount(): number {
  return open.size;
}
