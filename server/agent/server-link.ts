// The agent's websocket to the server, and only the transport: dials out (the agent never
// listens), says hello, hands each call to the dispatcher and sends its answer, forwards
// driver events, and reconnects with jittered backoff. On every connect the server gets
// each driver's full state first, then live events. With several servers (replicas on one
// database, decision 0005) a lost or refused connection moves on to the next address, so
// an agent whose server died is back on another one after its first, short retry.
import WebSocket from "ws";
import { Backoff } from "./backoff";
import { MAX_FRAME_BYTES, parseFrame, PROTOCOL_VERSION, ServerFrame, type AgentEvent, type HostFacts } from "../protocol";
import type { AgentDriver } from "./drivers/driver";
import type { AgentReply, CallScope } from "./dispatcher";

/** Progress of one call goes to the server at most this often (the browser's rate too). */
const PROGRESS_MS = 250;

/**
 * Calls whose result only means something to the server that asked: a backup finished
 * after its server went away would be a complete directory no run records (the server
 * has failed that run at its restart), so these are aborted, and clean up, when the link drops.
 */
const ABANDONED_WITH_LINK = new Set(["vm.backup", "backup.restore"]);

export interface LinkOptions {
  /** Tried in turn, starting with the first; one entry for one server or a load balancer. */
  serverUrls: readonly string[];
  credential: string;
  agentVersion: string;
  facts: () => Promise<HostFacts>;
  /** Their events go to the server; their full state follows every welcome, in this order. */
  drivers: readonly AgentDriver[];
  /** Answers one call (never throws: failures are error replies). */
  dispatch: (method: string, params: unknown, scope: CallScope) => Promise<AgentReply>;
  /** The connection dropped: nobody can watch anything while we are apart. */
  onDisconnect?: () => void;
  /**
   * A connection on which nothing (not even the server's ping, every 4 s) arrived this
   * long is cut and the next server tried: a server that hangs, or whose machine vanished
   * from the network, never closes the TCP connection itself.
   */
  silenceMs?: number;
  log?: (msg: string) => void;
}

export class ServerLink {
  private ws: WebSocket | null = null;
  // Full jitter: 0.5-1× of an exponential step capped at 30 s, so a fleet of agents does
  // not reconnect in lockstep after a server restart.
  private readonly backoff = new Backoff(() => this.connect(), { firstMs: 500, maxMs: 30_000, jitter: true, unref: true });
  private ready = false;
  /** Calls being answered, by request id: what a cancel frame aborts. */
  private readonly running = new Map<number, AbortController>();
  /** The ids of running calls of ABANDONED_WITH_LINK methods. */
  private readonly tied = new Set<number>();
  /** Index in serverUrls of the server dialled last (the one data channels must reach). */
  private current = 0;
  /** When the current connection last heard from the server. */
  private heardAt = 0;
  private watchdog: NodeJS.Timeout | null = null;

  constructor(private readonly opts: LinkOptions) {
    if (!opts.serverUrls.length) throw new Error("ServerLink needs at least one server URL");
    for (const d of opts.drivers) d.onEvent((e) => this.sendEvent(e));
  }

  /**
   * The server this link is (or is about to be) connected to. Console, upload and stream
   * channels are registered on the server that asked for them, so they dial this one.
   */
  get url(): string {
    return this.opts.serverUrls[this.current]!;
  }

  start(): void {
    const silence = this.opts.silenceMs ?? 15_000;
    const every = Math.min(5000, silence / 2);
    let tick = Date.now();
    this.watchdog = setInterval(() => {
      const late = Date.now() - tick > 2 * every;
      tick = Date.now();
      // A late tick means our own event loop was blocked: the server's pings may be
      // waiting unread (timers run before I/O), so that round says nothing about it.
      const ws = this.ws;
      if (late || ws?.readyState !== WebSocket.OPEN || Date.now() - this.heardAt <= silence) return;
      this.log(`nothing from ${this.url} for ${Math.round((Date.now() - this.heardAt) / 1000)} s: reconnecting`);
      ws.terminate();
    }, every);
    this.watchdog.unref();
    this.connect();
  }

  async stop(): Promise<void> {
    if (this.watchdog) clearInterval(this.watchdog);
    this.backoff.stop();
    this.ws?.close(1000, "agent stopping");
  }

  private log(msg: string): void {
    (this.opts.log ?? ((m: string) => console.log(`[agent] ${m}`)))(msg);
  }

  private connect(): void {
    const url = this.url.replace(/^http/, "ws").replace(/\/$/, "") + "/ws/agent";
    const ws = new WebSocket(url, {
      headers: { Authorization: `Bearer ${this.opts.credential}` },
      maxPayload: MAX_FRAME_BYTES,
      handshakeTimeout: 10_000,
    });
    this.ws = ws;
    ws.on("open", () => void this.onOpen(ws));
    ws.on("message", (data) => {
      this.heardAt = Date.now();
      void this.onMessage(ws, String(data));
    });
    ws.on("ping", () => (this.heardAt = Date.now()));
    ws.on("unexpected-response", (_req, res) => {
      this.log(`server refused the connection: HTTP ${res.statusCode}`);
      res.resume();
      if (res.statusCode === 401) this.log("the host credential was rejected: re-enroll this host from the Hosts page");
      // With this listener ws leaves the handshake pending: end it, so that "close" follows
      // and the next server is tried (a balancer answers 502/503 while no server is up).
      ws.terminate();
    });
    ws.on("error", (err) => this.log(`connection error: ${err.message}`));
    ws.on("close", (code, reason) => {
      this.ready = false;
      for (const id of this.tied) this.running.get(id)?.abort();
      this.opts.onDisconnect?.();
      if (this.ws === ws) this.ws = null;
      if (this.backoff.stopped) return;
      this.log(`disconnected from ${this.url} (${code}${reason.length ? ` ${reason.toString()}` : ""})`);
      // Lost or refused: the next attempt goes to the next server. A drop after a working
      // connection retries after the first (short) step, since backoff was reset on open.
      this.current = (this.current + 1) % this.opts.serverUrls.length;
      this.backoff.schedule();
    });
  }

  private async onOpen(ws: WebSocket): Promise<void> {
    this.heardAt = Date.now();
    this.backoff.succeeded();
    this.log(`connected to ${this.url}`);
    const facts = await this.opts.facts();
    ws.send(JSON.stringify({ type: "hello", protocol: PROTOCOL_VERSION, agentVersion: this.opts.agentVersion, facts }));
  }

  private async onMessage(ws: WebSocket, raw: string): Promise<void> {
    const parsed = parseFrame(ServerFrame, raw);
    if (!parsed.ok) {
      this.log(`rejected frame from server: ${parsed.error.message}`);
      if (parsed.id !== null) ws.send(JSON.stringify({ type: "res", id: parsed.id, ok: false, error: parsed.error }));
      else ws.send(JSON.stringify({ type: "error", error: parsed.error }));
      return;
    }
    const f = parsed.frame;
    if (f.type === "welcome") {
      this.ready = true;
      this.log(`registered as host ${f.hostId}`);
      // Resync: the server's view may be stale after our absence.
      for (const d of this.opts.drivers) {
        try {
          await d.resync((e) => this.sendEvent(e));
        } catch (err) {
          this.log(`${d.name} inventory failed: ${(err as Error).message}`);
        }
      }
      return;
    }
    if (f.type === "error") {
      this.log(`server reported: ${f.error.code}: ${f.error.message}`);
      return;
    }
    if (f.type === "cancel") {
      // Unknown ids are calls already answered: nothing to stop.
      this.running.get(f.id)?.abort();
      return;
    }
    const ctl = new AbortController();
    this.running.set(f.id, ctl);
    if (ABANDONED_WITH_LINK.has(f.method)) this.tied.add(f.id);
    try {
      const reply = await this.opts.dispatch(f.method, f.params, this.scope(ws, f.id, ctl.signal));
      if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: "res", id: f.id, ...reply }));
    } finally {
      this.running.delete(f.id);
      this.tied.delete(f.id);
    }
  }

  /** The call's progress reports, throttled; the last one (done = total) always goes. */
  private scope(ws: WebSocket, id: number, signal: AbortSignal): CallScope {
    let last = 0;
    return {
      signal,
      progress: (done, total) => {
        const now = Date.now();
        if (now - last < PROGRESS_MS && done !== total) return;
        last = now;
        if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: "progress", id, done, total }));
      },
    };
  }

  sendEvent(event: AgentEvent): void {
    const ws = this.ws;
    // Events while not registered are dropped: the inventory after "welcome" covers them.
    if (!ws || !this.ready || ws.readyState !== WebSocket.OPEN) return;
    ws.send(JSON.stringify({ type: "event", at: Date.now(), event }));
  }
}
