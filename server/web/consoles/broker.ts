// Pairs a browser's console socket with the data socket the agent dials for it, and relays
// frames both ways; a slow reader pauses the other side instead of making the server
// buffer without bound. Tracks viewers per machine for presence and
// "take over".
import type { WebSocket } from "ws";
import { CONSOLE_CLOSE, type ConsoleKind, type ConsoleViewer } from "../../protocol";
import type { EventBus } from "../events/bus";
import type { AgentHub } from "../agents/hub";
import { hashToken, randomToken, safeEqual } from "../auth/tokens";

interface PendingChannel {
  hostId: string;
  tokenHash: string;
  attach: (agentWs: WebSocket) => void;
  timer: NodeJS.Timeout;
}

interface Viewer extends ConsoleViewer {
  hostId: string;
  uuid: string;
  ws: WebSocket;
}

const PAIR_TIMEOUT_MS = 10_000;
// Small stream buffers: QEMU's VNC server sends one frame per request, so a deep buffer
// adds latency and memory without adding throughput.
const HWM = 256 * 1024;
const EARLY_LIMIT = 64 * 1024;

export class ConsoleBroker {
  private readonly pending = new Map<string, PendingChannel>();
  private readonly viewers = new Map<string, Viewer>();

  constructor(
    private readonly hub: AgentHub,
    private readonly bus: EventBus,
  ) {}

  /** Called for an accepted browser socket: asks the agent for a data socket and relays. */
  async open(browser: WebSocket, v: { hostId: string; uuid: string; kind: ConsoleKind; user: string; takeover: boolean }): Promise<void> {
    const channel = randomToken().slice(0, 32);
    const token = randomToken();
    const viewer: Viewer = { id: channel, user: v.user, kind: v.kind, since: new Date().toISOString(), hostId: v.hostId, uuid: v.uuid, ws: browser };
    if (v.takeover) {
      for (const other of this.viewers.values()) {
        if (other.hostId === v.hostId && other.uuid === v.uuid && other.kind === v.kind) other.ws.close(CONSOLE_CLOSE.takenOver, `taken over by ${v.user}`);
      }
    }
    this.viewers.set(channel, viewer);
    // Input sent before the agent's socket is paired is kept (bounded) and replayed first.
    const early: Buffer[] = [];
    let earlyBytes = 0;
    const onEarly = (d: Buffer) => {
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

    const agentWs = new Promise<WebSocket>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(channel);
        reject(new Error("the agent did not open the console in time"));
      }, PAIR_TIMEOUT_MS);
      this.pending.set(channel, { hostId: v.hostId, tokenHash: hashToken(token), attach: resolve, timer });
    });
    try {
      await this.hub.call(v.hostId, "console.open", { uuid: v.uuid, kind: v.kind, channel, token }, PAIR_TIMEOUT_MS);
      const agent = await agentWs;
      browser.off("message", onEarly);
      if (browser.readyState !== browser.OPEN) return agent.close(1000, "viewer left");
      for (const chunk of early) agent.send(chunk);
      this.relay(browser, agent);
    } catch (err) {
      this.cancel(channel);
      const msg = (err as Error).message.slice(0, 120);
      if (browser.readyState === browser.OPEN) browser.close(CONSOLE_CLOSE.vmUnavailable, msg);
    }
  }

  /** The agent's data socket arrived: true when it matches a pending channel. */
  attachAgent(hostId: string, channel: string, token: string, ws: WebSocket): boolean {
    const p = this.pending.get(channel);
    if (!p || p.hostId !== hostId || !safeEqual(p.tokenHash, hashToken(token))) return false;
    this.pending.delete(channel);
    clearTimeout(p.timer);
    p.attach(ws);
    return true;
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

  private relay(browser: WebSocket, agent: WebSocket): void {
    forward(agent, browser);
    forward(browser, agent);
    const done = () => {
      if (browser.readyState === browser.OPEN) browser.close(CONSOLE_CLOSE.agentGone, "console closed by the host");
      if (agent.readyState === agent.OPEN) agent.close(1000, "viewer left");
    };
    agent.once("close", done);
    browser.once("close", done);
    agent.on("error", done);
    browser.on("error", done);
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

/**
 * Relays frames from one socket to the other as they come (no stream layer, no copies),
 * pausing the source while the destination has more than HWM bytes not yet flushed.
 */
function forward(from: WebSocket, to: WebSocket): void {
  let paused = false;
  from.on("message", (data: Buffer) => {
    if (to.readyState !== to.OPEN) return;
    to.send(data, { binary: true }, () => {
      if (paused && to.bufferedAmount < HWM / 2) {
        paused = false;
        from.resume();
      }
    });
    if (!paused && to.bufferedAmount > HWM) {
      paused = true;
      from.pause();
    }
  });
}
