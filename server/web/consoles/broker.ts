// Pairs a browser's console socket with the data connection the agent dials for it. The
// bytes themselves flow in the console relay process (../console-relay); this class keeps
// what needs the server: pairing by one-time token, viewers per machine for presence and
// "take over", and closing consoles whose right was withdrawn.
import type { IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import { CONSOLE_CLOSE, type ConsoleViewer, type StreamKind } from "../../protocol";
import type { EventBus } from "../events/bus";
import type { Audience } from "../events/audience";
import { tagKey } from "../auth/access";
import type { AgentHub } from "../agents/hub";
import { hashToken, randomToken, safeEqual } from "../auth/tokens";
import type { Permission, Resource } from "../auth/permissions";
import type { ConsoleRelay, RelayedSocket } from "../console-relay/relay-process";
import { acceptRaw } from "../ws/raw-upgrade";

interface PendingChannel {
  hostId: string;
  tokenHash: string;
  /** Receives the agent's connection, not yet answered with 101. */
  attach: (agent: Socket, head: Buffer) => void;
  timer: NodeJS.Timeout;
}

interface Viewer extends ConsoleViewer {
  userId: string;
  /** Closed for a withdrawn right; still listed until its close arrives from the relay. */
  revoked?: boolean;
  hostId: string;
  uuid: string;
  ws: RelayedSocket;
}

/** What the agent is asked to open. */
export interface AgentStreamRequest {
  hostId: string;
  uuid: string;
  kind: StreamKind;
  cols?: number;
  rows?: number;
}

export interface ConsoleRequest extends AgentStreamRequest {
  user: string;
  userId: string;
  takeover: boolean;
}

/** Reaches the agent through the server that holds it (one extra hop, cluster/stream-hop.ts). */
export interface StreamHop {
  /** Attaches the peer's spliced stream to the browser's console; rejects with why it could not. */
  open(browser: RelayedSocket, channel: string): Promise<void>;
  /** A terminal's new size, for the agent behind the peer. */
  resize(channel: string, cols: number, rows: number): Promise<unknown>;
}

const PAIR_TIMEOUT_MS = 10_000;

export class ConsoleBroker {
  private readonly pending = new Map<string, PendingChannel>();
  private readonly viewers = new Map<string, Viewer>();

  constructor(
    private readonly hub: AgentHub,
    private readonly bus: EventBus,
    private readonly relay: ConsoleRelay,
  ) {}

  /**
   * Takes an authenticated console upgrade: the relay process answers the handshake, and
   * the agent is asked to dial in for it. Returns the server's handle on the socket.
   */
  open(socket: Socket, head: Buffer, req: IncomingMessage, v: ConsoleRequest, via: StreamHop | null = null): RelayedSocket {
    const channel = randomToken().slice(0, 32);
    const browser = this.relay.adopt(channel, v.kind, socket, head, req);
    if (v.takeover) {
      for (const other of this.viewers.values()) {
        if (other.hostId === v.hostId && other.uuid === v.uuid && other.kind === v.kind)
          other.ws.close(CONSOLE_CLOSE.takenOver, `taken over by ${v.user}`);
      }
    }
    this.viewers.set(channel, {
      id: channel,
      userId: v.userId,
      user: v.user,
      kind: v.kind,
      since: new Date().toISOString(),
      hostId: v.hostId,
      uuid: v.uuid,
      ws: browser,
    });
    browser.once("close", () => {
      this.viewers.delete(channel);
      this.cancel(channel);
      this.publishViewers(v.hostId, v.uuid, v.kind);
    });
    if (v.kind === "exec") {
      browser.on("resize", (cols: number, rows: number) => {
        (via ? via.resize(channel, cols, rows) : this.hub.call(v.hostId, "container.resize", { channel, cols, rows })).catch((e: Error) =>
          console.warn(`[consoles] resize failed: ${e.message}`),
        );
      });
    }
    this.publishViewers(v.hostId, v.uuid, v.kind);
    void this.connect(browser, channel, v, via);
    return browser;
  }

  /** A peer server's hop (cluster/internal-sockets.ts), spliced in the relay process to the agent's connection given to the handle. */
  spliceForPeer(channel: string, socket: Socket, head: Buffer): RelayedSocket {
    return this.relay.splice(channel, socket, head);
  }

  /** False while the relay process restarts: consoles are refused (503) meanwhile. */
  get available(): boolean {
    return this.relay.available;
  }

  private async connect(browser: RelayedSocket, channel: string, v: ConsoleRequest, via: StreamHop | null): Promise<void> {
    if (browser.state === "closed") return;
    try {
      // The host's agent is on another server: that server dials it and splices (cluster/stream-hop.ts).
      if (via) await via.open(browser, channel);
      else await this.openAgentStream(v, channel, (agent, head) => browser.attachAgent(agent, head));
    } catch (err) {
      browser.close(CONSOLE_CLOSE.vmUnavailable, (err as Error).message.slice(0, 120));
    }
  }

  /**
   * Asks the host's agent (connected here) to open the stream and dial in on `channel`;
   * `attach` gets its connection, not yet answered. Resolves once it is attached.
   */
  async openAgentStream(v: AgentStreamRequest, channel: string, attach: (agent: Socket, head: Buffer) => void): Promise<void> {
    const { token, paired } = this.awaitAgent(v.hostId, channel, "console", attach);
    try {
      // The agent dials in (and is paired) before its answer to this call arrives.
      if (v.kind === "exec" || v.kind === "logs")
        await this.hub.call(v.hostId, "container.attach", { id: v.uuid, kind: v.kind, channel, token, cols: v.cols, rows: v.rows }, PAIR_TIMEOUT_MS);
      else await this.hub.call(v.hostId, "console.open", { uuid: v.uuid, kind: v.kind, channel, token }, PAIR_TIMEOUT_MS);
      await paired;
    } catch (err) {
      this.cancel(channel);
      throw err;
    }
  }

  /**
   * Expects the agent to dial in on `channel` with a fresh one-time token, within
   * PAIR_TIMEOUT_MS. `attach` gets its connection, not yet answered, the moment it arrives
   * (a console's agent waits for that answer before its console.open call returns).
   */
  private awaitAgent<T>(
    hostId: string,
    channel: string,
    what: string,
    attach: (agent: Socket, head: Buffer) => T,
  ): { token: string; paired: Promise<T> } {
    const token = randomToken();
    const paired = new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(channel);
        reject(new Error(`the agent did not open the ${what} in time`));
      }, PAIR_TIMEOUT_MS);
      this.pending.set(channel, { hostId, tokenHash: hashToken(token), attach: (agent, head) => resolve(attach(agent, head)), timer });
    });
    return { token, paired };
  }

  /** The agent's data connection arrived: true when it matches a pending channel. */
  attachAgent(hostId: string, channel: string, token: string, socket: Socket, head: Buffer): boolean {
    const p = this.pending.get(channel);
    if (!p || p.hostId !== hostId || !safeEqual(p.tokenHash, hashToken(token))) return false;
    this.pending.delete(channel);
    clearTimeout(p.timer);
    p.attach(socket, head);
    return true;
  }

  /**
   * Rights changed (a role, an assignment, a group, a tag): closes every open console whose
   * user may no longer open it. `may` is asked per console with what it shows.
   */
  closeForbidden(may: (v: { userId: string; permission: Permission; resource: Resource }) => boolean): number {
    let n = 0;
    for (const v of this.viewers.values()) {
      if (v.revoked) continue;
      const resource: Resource = { type: containerStream(v.kind) ? "container" : "vm", id: v.uuid, hostId: v.hostId };
      if (may({ userId: v.userId, permission: consolePermission(v.kind), resource })) continue;
      v.revoked = true;
      v.ws.close(CONSOLE_CLOSE.permissionLost, "your permission to this console was withdrawn");
      n++;
    }
    return n;
  }

  /** The users with a console open (to re-read their accounts when rights change). */
  userIds(): string[] {
    return [...new Set([...this.viewers.values()].map((v) => v.userId))];
  }

  isPending(channel: string): boolean {
    return this.pending.has(channel);
  }

  viewersOf(hostId: string, uuid: string): ConsoleViewer[] {
    return [...this.viewers.values()]
      .filter((v) => v.hostId === hostId && v.uuid === uuid)
      .map(({ id, user, kind, since }) => ({ id, user, kind, since }));
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
    const { token, paired: conn } = this.awaitAgent(hostId, channel, "data channel", acceptRaw);
    const result = call(channel, token);
    // A call that fails before dialling must not leave the channel waiting.
    result.catch(() => this.cancel(channel));
    const socket = await Promise.race([conn, result.then(() => conn)]);
    socket.resume();
    return { socket, result };
  }

  private cancel(channel: string): void {
    const p = this.pending.get(channel);
    if (!p) return;
    clearTimeout(p.timer);
    this.pending.delete(channel);
  }

  /** Presence goes to whoever may see the machine (or the container, for exec and logs). */
  private publishViewers(hostId: string, uuid: string, kind: StreamKind): void {
    const type = containerStream(kind) ? "container" : "vm";
    const audience: Audience = {
      kind: "resource",
      permission: type === "vm" ? "vm.read" : "container.read",
      resource: { type, id: uuid, hostId },
      tagKey: tagKey(type, hostId, uuid),
    };
    this.bus.publish({ type: "console.viewers", hostId, uuid, viewers: this.viewersOf(hostId, uuid) }, audience);
  }
}

function containerStream(kind: StreamKind): boolean {
  return kind === "exec" || kind === "logs";
}

/** What opening a stream of this kind needs. */
export function consolePermission(kind: StreamKind): Permission {
  return kind === "exec" ? "container.manage" : kind === "logs" ? "container.read" : "vm.console";
}
