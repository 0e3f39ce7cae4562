// The server's side of the console relay process (see child.ts for why it exists): starts
// it, hands it sockets, and gives the rest of the server a socket-like handle per console
// (close, ping, terminate; 'open', 'close', 'pong', 'resize' events).
import { fork, type ChildProcess } from "node:child_process";
import { EventEmitter } from "node:events";
import fs from "node:fs";
import type { IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import path from "node:path";
import type { StreamKind } from "../../protocol/console";
import type { RelayCommand, RelayReport } from "./messages";
import { stopReading } from "./stop-reading";

/**
 * Close code reported inside the server when the relay process died under a console (the
 * browser itself sees 1006: the connection just ends).
 */
const RELAY_DIED = 1011;
const READY_TIMEOUT_MS = 10_000;

/** A websocket close reason is at most 123 bytes of UTF-8 (ws throws beyond). */
export function closeReason(text: string): string {
  let out = text;
  while (Buffer.byteLength(out, "utf8") > 123) out = out.slice(0, -1);
  return out;
}

/**
 * Makes a socket ready to be handed to another process: returns the bytes this process
 * already read, and stops reading. Node keeps reading a sent handle until the child
 * acknowledges it and drops whatever it reads meanwhile, so a byte that arrived in that
 * window (e.g. the VNC greeting the agent sends right after the answer to its upgrade)
 * would be lost.
 */
export function detachForHandOver(socket: Socket, head: Buffer): Buffer {
  const parts = [head, ...stopReading(socket).read].filter((b) => b.length);
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
}

export class RelayedSocket extends EventEmitter {
  state: "connecting" | "open" | "closed" = "connecting";

  constructor(
    readonly channel: string,
    private readonly relay: ConsoleRelay,
  ) {
    super();
  }

  close(code = 1000, reason = ""): void {
    if (this.state !== "closed") this.relay.command({ type: "close", channel: this.channel, code, reason: closeReason(reason) });
  }

  ping(): void {
    if (this.state === "open") this.relay.command({ type: "ping", channel: this.channel });
  }

  terminate(): void {
    if (this.state !== "closed") this.relay.command({ type: "terminate", channel: this.channel });
  }

  /**
   * Hands over the agent's data connection for this console, not yet answered (see child.ts);
   * `answered`: a connection this server dialled to a peer, whose upgrade is already done.
   */
  attachAgent(socket: Socket, head: Buffer, answered = false): void {
    if (this.state === "closed") return void socket.destroy();
    const head64 = detachForHandOver(socket, head).toString("base64");
    if (!this.relay.command({ type: "agent", channel: this.channel, head: head64, ...(answered ? { answered } : {}) }, socket)) socket.destroy();
  }

  /** Called by the relay with what happened in the relay process. */
  report(r: RelayReport): void {
    if (r.type === "open") {
      this.state = "open";
      this.emit("open");
    } else if (r.type === "closed") {
      if (this.state === "closed") return;
      this.state = "closed";
      this.emit("close", r.code, r.reason);
    } else if (r.type === "pong") this.emit("pong");
    else if (r.type === "resize") this.emit("resize", r.cols, r.rows);
  }
}

export class ConsoleRelay {
  private child: ChildProcess | null = null;
  private readonly sockets = new Map<string, RelayedSocket>();
  private stopping = false;
  private restartDelay = 500;

  constructor(
    private readonly script: string,
    private readonly execArgv: string[] = [],
  ) {}

  /**
   * The relay script next to the server bundle (dist/console-relay.js); in development the
   * TypeScript source, run by tsx, so that edits take effect without a build.
   */
  static forRoot(root: string, dev = false): ConsoleRelay {
    if (dev) return new ConsoleRelay(path.join(root, "server", "web", "console-relay", "child.ts"), ["--import", "tsx"]);
    const script = path.join(root, "dist", "console-relay.js");
    if (!fs.existsSync(script)) throw new Error(`${script} is missing: run \`npm run build\``);
    return new ConsoleRelay(script);
  }

  /** False while the relay process is down (between a crash and its restart). */
  get available(): boolean {
    return this.child?.connected === true;
  }

  start(): Promise<void> {
    const child = fork(this.script, [], { stdio: ["ignore", "inherit", "inherit", "ipc"], serialization: "json", execArgv: this.execArgv });
    this.child = child;
    const startedAt = Date.now();
    // A send racing the child's death fails with EPIPE here; its consoles close on 'exit'.
    child.on("error", (err) => console.error(`[consoles] relay process: ${err.message}`));
    child.on("message", (r: RelayReport) => {
      if (r.type !== "ready") this.sockets.get(r.channel)?.report(r);
      if (r.type === "closed") this.sockets.delete(r.channel);
    });
    child.on("exit", (code, signal) => {
      this.child = null;
      for (const s of this.sockets.values()) s.report({ type: "closed", channel: s.channel, code: RELAY_DIED, reason: "console relay restarted" });
      this.sockets.clear();
      if (this.stopping) return;
      if (Date.now() - startedAt > 60_000) this.restartDelay = 500;
      console.error(`[consoles] relay process exited (${signal ?? code}); restarting in ${this.restartDelay} ms`);
      setTimeout(() => {
        if (!this.stopping) this.start().catch((e: Error) => console.error(`[consoles] relay restart failed: ${e.message}`));
      }, this.restartDelay).unref();
      this.restartDelay = Math.min(this.restartDelay * 2, 10_000);
    });
    return new Promise((resolve, reject) => {
      const settle = (err?: Error) => {
        clearTimeout(timer);
        child.off("message", ready);
        child.off("exit", early);
        if (err) reject(err);
        else resolve();
      };
      const ready = (r: RelayReport) => r.type === "ready" && settle();
      const early = (code: number | null, signal: string | null) => settle(new Error(`console relay exited before it was ready (${signal ?? code})`));
      const timer = setTimeout(() => settle(new Error("console relay did not start in time")), READY_TIMEOUT_MS);
      child.on("message", ready);
      child.once("exit", early);
    });
  }

  /**
   * Takes over a browser's authenticated console upgrade: the relay process answers the
   * handshake, so the server never reads a byte of the console itself.
   */
  adopt(channel: string, kind: StreamKind, socket: Socket, head: Buffer, req: IncomingMessage): RelayedSocket {
    const s = new RelayedSocket(channel, this);
    this.sockets.set(channel, s);
    const ok = this.command(
      {
        type: "adopt",
        channel,
        kind,
        req: { method: req.method ?? "GET", url: req.url ?? "/", headers: req.headers },
        head: detachForHandOver(socket, head).toString("base64"),
      },
      socket,
    );
    if (!ok) {
      socket.destroy();
      queueMicrotask(() => s.report({ type: "closed", channel, code: RELAY_DIED, reason: "console relay unavailable" }));
      this.sockets.delete(channel);
    }
    return s;
  }

  /**
   * Takes a peer server's hop (decision 0005) for splicing to the agent's connection, which
   * the returned handle's attachAgent then hands over; the relay answers both.
   */
  splice(channel: string, socket: Socket, head: Buffer): RelayedSocket {
    const s = new RelayedSocket(channel, this);
    this.sockets.set(channel, s);
    if (!this.command({ type: "splice", channel, head: detachForHandOver(socket, head).toString("base64") }, socket)) {
      socket.destroy();
      this.sockets.delete(channel);
      s.state = "closed";
    }
    return s;
  }

  /** Sends a command (and a socket) to the relay process; false when it is not running. */
  command(c: RelayCommand, socket?: Socket): boolean {
    const child = this.child;
    if (!child?.connected) return false;
    if (socket) child.send(c, socket, (err) => err && socket.destroy());
    else child.send(c, (err) => err && console.error(`[consoles] relay command ${c.type} failed: ${err.message}`));
    return true;
  }

  /** Stops for good; `graceMs` lets close frames already ordered go out first. */
  async stop(graceMs = 0): Promise<void> {
    this.stopping = true;
    if (graceMs) await new Promise((r) => setTimeout(r, graceMs));
    const c = this.child;
    if (!c) return;
    const exited = new Promise<void>((r) => c.once("exit", () => r()));
    if (c.connected) c.disconnect();
    await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]);
    if (c.exitCode === null) c.kill("SIGKILL");
  }
}
