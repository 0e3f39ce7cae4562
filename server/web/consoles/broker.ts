// Pairs a browser's console socket with the data socket the agent dials for it, and relays
// frames both ways; a slow reader pauses the other side instead of making the server
// buffer without bound. Tracks viewers per machine for presence and
// "take over".
import type { Socket } from "node:net";
import type { WebSocket } from "ws";
import { CONSOLE_CLOSE, type ConsoleViewer, type StreamKind } from "../../protocol";
import type { EventBus } from "../events/bus";
import type { AgentHub } from "../agents/hub";
import { hashToken, randomToken, safeEqual } from "../auth/tokens";
import { authorize, type Permission } from "../auth/permissions";

interface PendingChannel {
  hostId: string;
  tokenHash: string;
  attach: (agent: Socket) => void;
  timer: NodeJS.Timeout;
}

interface Viewer extends ConsoleViewer {
  userId: string;
  hostId: string;
  uuid: string;
  ws: WebSocket;
}

const PAIR_TIMEOUT_MS = 10_000;
// Small stream buffers: QEMU's VNC server sends one frame per request, so a deep buffer
// adds latency and memory without adding throughput.
const HWM = 256 * 1024;
const EARLY_LIMIT = 64 * 1024;
const MAX_FRAME = 1024 * 1024;

export class ConsoleBroker {
  private readonly pending = new Map<string, PendingChannel>();
  private readonly viewers = new Map<string, Viewer>();

  constructor(
    private readonly hub: AgentHub,
    private readonly bus: EventBus,
  ) {}

  /** Called for an accepted browser socket: asks the agent for a data socket and relays. */
  async open(browser: WebSocket, v: { hostId: string; uuid: string; kind: StreamKind; user: string; userId: string; takeover: boolean; cols?: number; rows?: number }): Promise<void> {
    const channel = randomToken().slice(0, 32);
    const token = randomToken();
    const viewer: Viewer = { id: channel, userId: v.userId, user: v.user, kind: v.kind, since: new Date().toISOString(), hostId: v.hostId, uuid: v.uuid, ws: browser };
    if (v.takeover) {
      for (const other of this.viewers.values()) {
        if (other.hostId === v.hostId && other.uuid === v.uuid && other.kind === v.kind) other.ws.close(CONSOLE_CLOSE.takenOver, `taken over by ${v.user}`);
      }
    }
    this.viewers.set(channel, viewer);
    // Input sent before the agent's socket is paired is kept (bounded) and replayed first.
    const early: Buffer[] = [];
    let earlyBytes = 0;
    const onEarly = (d: Buffer, isBinary: boolean) => {
      if (!isBinary && (v.kind === "exec" || v.kind === "logs")) return; // control messages (resize) before pairing
      earlyBytes += d.length;
      if (earlyBytes > EARLY_LIMIT) browser.close(1009, "too much input before the console opened");
      else early.push(Buffer.from(d));
    };
    browser.on("message", onEarly);
    browser.once("close", () => {
      this.viewers.delete(channel);
      this.cancel(channel);
      this.publishViewers(v.hostId, v.uuid);
    });
    this.publishViewers(v.hostId, v.uuid);

    const agentConn = new Promise<Socket>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(channel);
        reject(new Error("the agent did not open the console in time"));
      }, PAIR_TIMEOUT_MS);
      this.pending.set(channel, { hostId: v.hostId, tokenHash: hashToken(token), attach: resolve, timer });
    });
    try {
      if (v.kind === "exec" || v.kind === "logs") await this.hub.call(v.hostId, "container.attach", { id: v.uuid, kind: v.kind, channel, token, cols: v.cols, rows: v.rows }, PAIR_TIMEOUT_MS);
      else await this.hub.call(v.hostId, "console.open", { uuid: v.uuid, kind: v.kind, channel, token }, PAIR_TIMEOUT_MS);
      const agent = await agentConn;
      browser.off("message", onEarly);
      if (browser.readyState !== browser.OPEN) return void agent.destroy();
      agent.on("error", () => agent.destroy());
      for (const chunk of early) agent.write(chunk);
      this.relay(browser, agent, v.kind === "exec" ? (cols, rows) => void this.hub.call(v.hostId, "container.resize", { channel, cols, rows }).catch((e: Error) => console.warn(`[consoles] resize failed: ${e.message}`)) : null);
    } catch (err) {
      this.cancel(channel);
      const msg = (err as Error).message.slice(0, 120);
      if (browser.readyState === browser.OPEN) browser.close(CONSOLE_CLOSE.vmUnavailable, msg);
    }
  }

  /** The agent's data connection arrived: true when it matches a pending channel. */
  attachAgent(hostId: string, channel: string, token: string, socket: Socket): boolean {
    const p = this.pending.get(channel);
    if (!p || p.hostId !== hostId || !safeEqual(p.tokenHash, hashToken(token))) return false;
    this.pending.delete(channel);
    clearTimeout(p.timer);
    p.attach(socket);
    return true;
  }

  /** A user's role changed: closes their consoles the new role does not allow. */
  closeForbidden(userId: string, role: string): number {
    const need: Record<StreamKind, Permission> = { vnc: "vm.console", serial: "vm.console", exec: "container.manage", logs: "container.read" };
    let n = 0;
    for (const v of this.viewers.values()) {
      if (v.userId !== userId || authorize({ role }, need[v.kind])) continue;
      v.ws.close(CONSOLE_CLOSE.permissionLost, "your permission to this console was withdrawn");
      n++;
    }
    return n;
  }

  isPending(channel: string): boolean {
    return this.pending.has(channel);
  }

  viewersOf(hostId: string, uuid: string): ConsoleViewer[] {
    return [...this.viewers.values()].filter((v) => v.hostId === hostId && v.uuid === uuid).map(({ id, user, kind, since }) => ({ id, user, kind, since }));
  }

  get openCount(): number {
    return this.viewers.size;
  }

  /**
   * A one-off data channel (e.g. an image upload): `call` asks the agent to dial in with the
   * channel and token; resolves with the agent's connection and the call's eventual result.
   */
  async dataChannel<T>(hostId: string, call: (channel: string, token: string) => Promise<T>): Promise<{ socket: Socket; result: Promise<T> }> {
    const channel = randomToken().slice(0, 32);
    const token = randomToken();
    const conn = new Promise<Socket>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(channel);
        reject(new Error("the agent did not open the data channel in time"));
      }, PAIR_TIMEOUT_MS);
      this.pending.set(channel, { hostId, tokenHash: hashToken(token), attach: resolve, timer });
    });
    const result = call(channel, token);
    // A call that fails before dialling must not leave the channel waiting.
    result.catch(() => this.cancel(channel));
    const socket = await Promise.race([conn, result.then(() => conn)]);
    socket.resume();
    return { socket, result };
  }

  private relay(browser: WebSocket, agent: Socket, onResize: ((cols: number, rows: number) => void) | null = null): void {
    agent.setNoDelay(true);
    const done = () => {
      if (browser.readyState === browser.OPEN) browser.close(CONSOLE_CLOSE.agentGone, "console closed by the host");
      agent.destroy();
    };
    // host → browser: reads of one event-loop turn go out as one frame; the agent's socket
    // is paused while the browser has more than HWM bytes not yet flushed.
    let paused = false;
    let batch: Buffer[] = [];
    let bytes = 0;
    const flush = () => {
      if (!batch.length || browser.readyState !== browser.OPEN) return;
      const data = batch.length === 1 ? batch[0]! : Buffer.concat(batch, bytes);
      batch = [];
      bytes = 0;
      browser.send(data, { binary: true }, () => {
        if (paused && browser.bufferedAmount < HWM / 2) {
          paused = false;
          agent.resume();
        }
      });
      if (!paused && browser.bufferedAmount > HWM) {
        paused = true;
        agent.pause();
      }
    };
    agent.on("data", (chunk: Buffer) => {
      if (!batch.length) setImmediate(flush);
      batch.push(chunk);
      bytes += chunk.length;
      if (bytes >= MAX_FRAME) flush();
    });
    // browser → host: pause the browser's socket while the agent's buffer is full.
    browser.on("message", (data: Buffer, isBinary: boolean) => {
      // Terminal sessions send their size as a text frame: {"type":"resize","cols":…,"rows":…}.
      if (!isBinary && onResize) {
        try {
          const m = JSON.parse(data.toString("utf8")) as { type?: string; cols?: unknown; rows?: unknown };
          if (m.type === "resize" && Number.isInteger(m.cols) && Number.isInteger(m.rows)) onResize(Math.min(1000, Math.max(1, m.cols as number)), Math.min(1000, Math.max(1, m.rows as number)));
        } catch {
          // not a control message: ignored
        }
        return;
      }
      if (!agent.write(data)) {
        browser.pause();
        agent.once("drain", () => browser.resume());
      }
    });
    // The HTTP server hands sockets over half-open: the agent's FIN alone emits no 'close'.
    agent.once("end", done);
    agent.once("close", done);
    agent.on("error", done);
    browser.once("close", done);
    browser.on("error", done);
    // Paused since the upgrade (see ws/upgrade.ts): now every byte has a listener.
    agent.resume();
  }

  private cancel(channel: string): void {
    const p = this.pending.get(channel);
    if (!p) return;
    clearTimeout(p.timer);
    this.pending.delete(channel);
  }

  private publishViewers(hostId: string, uuid: string): void {
    this.bus.publish({ type: "console.viewers", hostId, uuid, viewers: this.viewersOf(hostId, uuid) });
  }
}

