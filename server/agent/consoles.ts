// Console relays on the agent: for console.open the agent finds the endpoint in the
// domain's own XML (never from the caller), dials the server's /ws/agent-data with the
// one-time channel token and upgrades it to a raw byte stream (Upgrade: hangar-relay).
// VNC bytes then flow by plain stream piping, with TCP backpressure both ways.
import http from "node:http";
import https from "node:https";
import net from "node:net";
import { CHANNEL_TOKEN_HEADER, RAW_UPGRADE, type DomainSummary, type MethodParams } from "../protocol";
import { DriverError } from "./drivers/driver";
import type { KubevirtDriver } from "./drivers/kubevirt/kubevirt-driver";
import type { SerialHub } from "./serial-hub";

export type ConsoleOpenParams = MethodParams<"console.open">;

const open = new Set<net.Socket>();

/** Where the domain's VNC server listens, from its live XML; never from the caller. */
export function vncEndpoint(d: DomainSummary): { host: string; port: number } | { path: string } {
  const g = d.graphics.find((x) => x.type === "vnc");
  if (!g) throw new DriverError("invalid_state", `${d.name} has no VNC graphics device`);
  if (g.socket) return { path: g.socket };
  if (!g.port || g.port <= 0) throw new DriverError("invalid_state", `${d.name}'s VNC server is not listening (is it running?)`);
  const listen = !g.listen || g.listen === "0.0.0.0" ? "127.0.0.1" : g.listen === "::" ? "::1" : g.listen;
  return { host: listen, port: g.port };
}

/**
 * Dials the server for one console (or any data channel) and resolves with the raw upgraded
 * connection. `source`, the stream already opened on this host for it, is closed if the
 * dial fails.
 */
export function dataConnection(
  serverUrl: string,
  credential: string,
  p: { channel: string; token: string },
  source?: { destroy(): unknown },
): Promise<net.Socket> {
  const url = new URL(`/ws/agent-data?channel=${encodeURIComponent(p.channel)}`, serverUrl);
  const mod = url.protocol === "https:" ? https : http;
  const dialled = new Promise<net.Socket>((resolve, reject) => {
    const req = mod.request(url, {
      headers: { Connection: "Upgrade", Upgrade: RAW_UPGRADE, Authorization: `Bearer ${credential}`, [CHANNEL_TOKEN_HEADER]: p.token },
    });
    req.on("upgrade", (_res, socket: net.Socket, head: Buffer) => {
      if (head.length) socket.unshift(head);
      socket.setNoDelay(true);
      open.add(socket);
      socket.once("close", () => open.delete(socket));
      resolve(socket);
    });
    req.on("response", (res) => {
      res.resume();
      reject(new DriverError("internal", `server refused the console data connection: HTTP ${res.statusCode}`));
    });
    req.on("error", (e) => reject(new DriverError("internal", `console data connection failed: ${e.message}`)));
    req.end();
  });
  dialled.catch(() => source?.destroy());
  return dialled;
}

export async function openConsole(
  serverUrl: string,
  credential: string,
  domain: DomainSummary,
  p: ConsoleOpenParams,
  serial: SerialHub,
): Promise<{ endpoint: string }> {
  if (p.kind === "serial") {
    if (!domain.serials.length) throw new DriverError("invalid_state", `${domain.name} has no serial console`);
    const conn = await dataConnection(serverUrl, credential, p);
    serial.attach(domain.uuid, conn).catch(() => conn.destroy());
    return { endpoint: "serial0" };
  }
  const ep = vncEndpoint(domain);
  // Not read until the server's side is there (the VNC server greets at once).
  let conn: net.Socket | null = null;
  const reads = readBuffers();
  const onread = { buffer: reads.next, callback: (n: number, buf: Buffer) => reads.forward(conn!, n, buf) };
  const target = "path" in ep ? net.connect({ path: ep.path, onread }) : net.connect({ host: ep.host, port: ep.port, onread });
  target.pause();
  await new Promise<void>((resolve, reject) => {
    target.once("connect", resolve);
    target.once("error", (e) => reject(new DriverError("invalid_state", `cannot reach the VNC server: ${e.message}`)));
  });
  target.setNoDelay(true);
  conn = await dataConnection(serverUrl, credential, p, target);
  const data = conn;
  const end = () => {
    target.destroy();
    data.destroy();
  };
  // VNC → server: large reads straight into pooled buffers (see readBuffers);
  // server → VNC (keys, pointer): plain piping.
  data.on("drain", () => target.resume());
  data.pipe(target);
  target.resume();
  target.once("close", end);
  target.on("error", end);
  data.once("end", end);
  data.once("close", end);
  data.on("error", end);
  return { endpoint: "path" in ep ? `unix:${ep.path}` : `${ep.host}:${ep.port}` };
}

/**
 * A KubeVirt VM's console: its VMI's vnc subresource (a websocket of raw RFB frames from
 * the Kubernetes API) piped into the same server data connection as a libvirt VNC socket,
 * so the server and the browser's noVNC see the same byte stream. Stream piping keeps
 * backpressure both ways (the websocket stream pauses its socket when the server is slow).
 */
export async function openKubevirtConsole(
  serverUrl: string,
  credential: string,
  domain: DomainSummary,
  p: ConsoleOpenParams,
  kubevirt: KubevirtDriver,
): Promise<{ endpoint: string }> {
  if (p.kind === "serial") throw new DriverError("invalid_state", `${domain.name}: the serial console of KubeVirt machines is not available here`);
  if (!domain.graphics.some((g) => g.type === "vnc")) throw new DriverError("invalid_state", `${domain.name} has no VNC display`);
  // Paused (its bytes held) until the server's side is there: the VNC server greets at once.
  const { ws, stream: vnc } = await kubevirt.vnc(domain.uuid);
  const data = await dataConnection(serverUrl, credential, p, { destroy: () => ws.terminate() });
  const end = () => {
    vnc.destroy();
    data.destroy();
  };
  vnc.pipe(data);
  data.pipe(vnc);
  vnc.once("close", end);
  vnc.on("error", end);
  data.once("close", end);
  data.on("error", end);
  return { endpoint: `kubevirt:${domain.name}/vnc` };
}

/**
 * Read buffers for the VNC → server direction. A framebuffer update is often hundreds of
 * KB: reading up to 256 KiB per call instead of Node's 64 KiB means fewer system calls and
 * no fresh buffer per read (garbage the GC would chase). A buffer returns to the pool once
 * its bytes are written; backpressure keeps one or two in flight per console.
 */
function readBuffers(size = 256 * 1024) {
  const pool: Buffer[] = [];
  return {
    next: () => pool.pop() ?? Buffer.allocUnsafeSlow(size),
    /** Writes what was read; false pauses the VNC socket until the server side drains. */
    forward(to: net.Socket, n: number, buf: Buffer): boolean {
      return to.write(buf.subarray(0, n), () => pool.length < 4 && pool.push(buf));
    },
  };
}

export function openConsoleCount(): number {
  return open.size;
}
