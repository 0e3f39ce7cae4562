// One connection to libvirtd (or virtproxyd/virtqemud) over its unix socket, speaking the
// REMOTE RPC program directly: no virsh processes, no native bindings.
import { EventEmitter } from "node:events";
import net from "node:net";
import {
  decodeDomainEvent,
  type AgentLifecycleEventPayload,
  type BalloonChangeEventPayload,
  type DeviceEventPayload,
  type DomainEvent,
  type LifecycleEventPayload,
  type MetadataChangeEventPayload,
  type RebootEventPayload,
  type UnknownEventPayload,
} from "./events";
import {
  decodePacket,
  DEFAULT_MAX_FRAME_BYTES,
  encodePacket,
  FrameSplitter,
  KEEPALIVE_PROGRAM,
  KeepaliveProc,
  MessageStatus,
  MessageType,
  PROTOCOL_VERSION,
  ProtocolError,
  REMOTE_PROGRAM,
  type Packet,
} from "./packet";
import { AuthType, DrvFeature, ErrorCode, Limits, Proc } from "./procedures";
import {
  decodeResourceEvent,
  type NetworkLifecycleEventPayload,
  type PoolLifecycleEventPayload,
  type PoolRefreshEventPayload,
  type ResourceEvent,
} from "./resource-events";
import { CallTimeoutError, ConnectionClosedError, decodeError, LibvirtError } from "./errors";
import { writeDomain, type DomainRef } from "./wire-types";
import { XdrReader, XdrWriter } from "./xdr";

/** Where libvirt listens: the monolithic daemon (or virtproxyd) first, then virtqemud. */
export const DEFAULT_SOCKET_PATHS = ["/var/run/libvirt/libvirt-sock", "/var/run/libvirt/virtqemud-sock"] as const;

export interface LibvirtClientOptions {
  /** One path, or candidates tried in order. Default: DEFAULT_SOCKET_PATHS. */
  socketPath?: string | readonly string[];
  /** Per-call timeout unless a call overrides it. Default 60 s (a cold start can be slow). */
  callTimeoutMs?: number;
  maxFrameBytes?: number;
  /**
   * Ask the daemon for keepalive and ping it after `intervalMs` of silence; the socket is
   * dropped after `count` silent intervals. Detects a hung daemon, which a unix socket
   * alone never reports. Off by default.
   */
  keepalive?: { intervalMs: number; count: number } | false;
}

export interface CallOptions {
  timeoutMs?: number;
}

/** Receives the STREAM packets that follow a stream-opening call (see stream.ts). */
export interface StreamSink {
  onStreamPacket(status: number, body: Buffer): void;
  onConnectionLost(err: Error): void;
}

export interface LibvirtClientEvents {
  /** The socket closed; `err` is null for a close we asked for. */
  close: [err: Error | null];
  /** Protocol or transport trouble; only emitted when someone listens. */
  error: [err: Error];
  /** Every decoded domain event, whatever its kind. */
  "domain-event": [event: DomainEvent];
  lifecycle: [event: LifecycleEventPayload];
  reboot: [event: RebootEventPayload];
  "device-added": [event: DeviceEventPayload];
  "device-removed": [event: DeviceEventPayload];
  "agent-lifecycle": [event: AgentLifecycleEventPayload];
  "metadata-change": [event: MetadataChangeEventPayload];
  "balloon-change": [event: BalloonChangeEventPayload];
  "unknown-event": [event: UnknownEventPayload];
  /** Storage pool and network events (see resource-events.ts); never on "domain-event". */
  "pool-lifecycle": [event: PoolLifecycleEventPayload];
  "pool-refresh": [event: PoolRefreshEventPayload];
  "network-lifecycle": [event: NetworkLifecycleEventPayload];
}

interface PendingCall {
  proc: number;
  resolve: (body: Buffer) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout | null;
}

export class LibvirtClient extends EventEmitter<LibvirtClientEvents> {
  private socket: net.Socket | null = null;
  private splitter: FrameSplitter;
  private readonly pending = new Map<number, PendingCall>();
  private readonly streams = new Map<number, StreamSink>();
  private serial = 0;
  private readPauses = 0;
  private closing = false;
  /** Why the socket went away, when it was not a close we asked for. */
  private closeError: Error | null = null;
  private closedEmitted = false;
  private lastInbound = 0;
  private keepaliveTimer: NodeJS.Timeout | null = null;
  private readonly opts: Required<Omit<LibvirtClientOptions, "socketPath">> & { socketPaths: readonly string[] };
  /** The socket path actually connected to. */
  socketPath: string | null = null;

  constructor(options: LibvirtClientOptions = {}) {
    super();
    const paths =
      options.socketPath === undefined ? DEFAULT_SOCKET_PATHS : typeof options.socketPath === "string" ? [options.socketPath] : options.socketPath;
    this.opts = {
      socketPaths: paths,
      callTimeoutMs: options.callTimeoutMs ?? 60_000,
      maxFrameBytes: options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES,
      keepalive: options.keepalive ?? false,
    };
    this.splitter = new FrameSplitter(this.opts.maxFrameBytes);
  }

  get connected(): boolean {
    return this.socket !== null && !this.socket.destroyed && !this.closing;
  }

  /** Opens the socket, authenticates (AUTH_LIST, polkit if asked) and opens `uri`. */
  async connect(uri: string | null = "qemu:///system"): Promise<void> {
    if (this.socket) throw new Error("LibvirtClient.connect called twice; create a new client to reconnect");
    await this.openSocket();
    try {
      const auth = await this.call(Proc.AUTH_LIST, undefined, (r) => r.array((x) => x.int(), Limits.AUTH_TYPE_LIST_MAX));
      if (auth.length > 0 && !auth.includes(AuthType.NONE)) {
        if (!auth.includes(AuthType.POLKIT)) {
          throw new LibvirtError(
            ErrorCode.AUTH_FAILED,
            0,
            `unsupported libvirt auth types [${auth.join(", ")}]; only none and polkit are implemented`,
          );
        }
        // The daemon checks our peer credentials against polkit; nothing to send.
        await this.call(Proc.AUTH_POLKIT, undefined, (r) => r.int());
      }
      await this.call(Proc.CONNECT_OPEN, (w) => w.optional(uri, (x, v) => x.string(v)).uint(0));
      if (this.opts.keepalive) await this.startKeepalive(this.opts.keepalive);
    } catch (err) {
      this.destroy(err instanceof Error ? err : new Error(String(err)));
      throw err;
    }
  }

  /**
   * Sends one CALL and resolves with the decoded reply. Calls may overlap: replies are
   * matched by serial, so a slow call never blocks a fast one.
   */
  call<T = void>(proc: number, writeArgs?: (w: XdrWriter) => void, readRet?: (r: XdrReader) => T, options: CallOptions = {}): Promise<T> {
    return this.rawCall(proc, writeArgs, options).then((body) => {
      if (!readRet) return undefined as T;
      return readRet(new XdrReader(body));
    });
  }

  /**
   * Sends a call whose reply is followed by STREAM packets on the same serial. The sink is
   * registered before the call is written, because stream data may arrive in the same
   * socket chunk as the reply, before any promise continuation could run.
   */
  async callWithStream<T = void>(
    proc: number,
    writeArgs: (w: XdrWriter) => void,
    makeSink: (serial: number) => StreamSink,
    readRet?: (r: XdrReader) => T,
    options: CallOptions = {},
  ): Promise<{ serial: number; ret: T }> {
    const serial = this.nextSerial();
    this.streams.set(serial, makeSink(serial));
    try {
      const body = await this.rawCall(proc, writeArgs, options, serial);
      return { serial, ret: readRet ? readRet(new XdrReader(body)) : (undefined as T) };
    } catch (err) {
      this.streams.delete(serial);
      throw err;
    }
  }

  /** Writes one STREAM packet; `done` fires once the socket has taken it (write backpressure). */
  sendStreamPacket(proc: number, serial: number, status: number, body: Uint8Array, done?: (err?: Error | null) => void): void {
    const socket = this.socket;
    if (!socket || socket.destroyed) {
      done?.(new ConnectionClosedError());
      return;
    }
    const frame = encodePacket({ prog: REMOTE_PROGRAM, vers: PROTOCOL_VERSION, proc, type: MessageType.STREAM, serial, status }, body);
    socket.write(frame, done);
  }

  unregisterStream(serial: number): void {
    this.streams.delete(serial);
  }

  /**
   * Stops reading the socket until every pauseReading() has a matching resumeReading().
   * A stream uses this when its consumer falls behind: data then backs up in the kernel
   * and in the daemon instead of in our memory. It also delays replies and events on
   * this connection, which is why consoles belong on a dedicated client.
   */
  pauseReading(): void {
    if (this.readPauses++ === 0) this.socket?.pause();
  }

  resumeReading(): void {
    if (this.readPauses === 0) return;
    if (--this.readPauses === 0) this.socket?.resume();
  }

  /** Subscribes to one VIR_DOMAIN_EVENT_ID_* (optionally for one domain); returns the callbackID. */
  registerDomainEvent(eventId: number, dom: DomainRef | null = null): Promise<number> {
    return this.call(
      Proc.CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY,
      (w) => w.int(eventId).optional(dom, writeDomain),
      (r) => r.int(),
    );
  }

  deregisterDomainEvent(callbackId: number): Promise<void> {
    return this.call(Proc.CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY, (w) => w.int(callbackId));
  }

  /** Polite close: CONNECT_CLOSE (bounded wait), then end the socket. Never throws. */
  async close(): Promise<void> {
    const socket = this.socket;
    if (!socket || socket.destroyed) return;
    if (!this.closing) {
      try {
        await this.call(Proc.CONNECT_CLOSE, undefined, undefined, { timeoutMs: 2_000 });
      } catch {
        // The daemon may already be gone; closing must still succeed.
      }
    }
    this.closing = true;
    await new Promise<void>((resolve) => {
      if (socket.destroyed) return resolve();
      socket.once("close", () => resolve());
      socket.end();
      // A daemon that never closes its side must not hang shutdown.
      setTimeout(() => socket.destroy(), 1_000).unref();
    });
  }

  /** Drops the connection at once, failing everything in flight with `err`. */
  destroy(err: Error | null = null): void {
    this.closing = true;
    if (err) this.closeError ??= err;
    if (this.socket && !this.socket.destroyed) this.socket.destroy(err ?? undefined);
    else this.teardown(err);
  }

  private nextSerial(): number {
    // Serial 0 is what events carry; skip it on wrap-around.
    this.serial = this.serial >= 0xffffffff ? 1 : this.serial + 1;
    return this.serial;
  }

  private rawCall(proc: number, writeArgs: ((w: XdrWriter) => void) | undefined, options: CallOptions, fixedSerial?: number): Promise<Buffer> {
    const socket = this.socket;
    if (!socket || socket.destroyed || (this.closing && proc !== Proc.CONNECT_CLOSE)) {
      return Promise.reject(new ConnectionClosedError());
    }
    const serial = fixedSerial ?? this.nextSerial();
    const w = new XdrWriter();
    writeArgs?.(w);
    const frame = encodePacket(
      { prog: REMOTE_PROGRAM, vers: PROTOCOL_VERSION, proc, type: MessageType.CALL, serial, status: MessageStatus.OK },
      w.toBuffer(),
    );
    if (frame.length > this.opts.maxFrameBytes) {
      return Promise.reject(new ProtocolError(`call of ${frame.length} bytes exceeds the ${this.opts.maxFrameBytes}-byte message limit`));
    }
    return new Promise<Buffer>((resolve, reject) => {
      const timeoutMs = options.timeoutMs ?? this.opts.callTimeoutMs;
      const timer =
        timeoutMs > 0
          ? setTimeout(() => {
              // A late reply for this serial is then simply dropped by dispatch().
              this.pending.delete(serial);
              reject(new CallTimeoutError(proc, timeoutMs));
            }, timeoutMs)
          : null;
      this.pending.set(serial, { proc, resolve, reject, timer });
      socket.write(frame);
    });
  }

  private async openSocket(): Promise<void> {
    let lastErr: Error | null = null;
    for (const path of this.opts.socketPaths) {
      try {
        this.socket = await dial(path);
        this.socketPath = path;
        break;
      } catch (err) {
        lastErr = err as Error;
        const code = (err as NodeJS.ErrnoException).code;
        // Only "nobody listens here" moves on to the next candidate; EACCES and the like
        // would fail the same way everywhere and deserve to be seen.
        if (code !== "ENOENT" && code !== "ECONNREFUSED") break;
      }
    }
    const socket = this.socket;
    if (!socket) throw lastErr ?? new Error("no libvirt socket path to try");
    socket.on("data", (chunk: Buffer) => this.onData(chunk));
    socket.on("error", (err) => {
      this.closeError ??= err;
      this.report(err);
    });
    socket.on("close", () => {
      this.teardown(this.closeError ?? (this.closing ? null : new ConnectionClosedError("libvirt closed the connection")));
    });
    this.lastInbound = Date.now();
  }

  private onData(chunk: Buffer): void {
    this.lastInbound = Date.now();
    let frames: Buffer[];
    try {
      frames = this.splitter.push(chunk);
    } catch (err) {
      // After a bad length the byte stream cannot be trusted: drop the connection.
      this.destroy(err as Error);
      return;
    }
    for (const frame of frames) {
      try {
        this.dispatch(decodePacket(frame));
      } catch (err) {
        this.report(err as Error);
      }
    }
  }

  private dispatch(packet: Packet): void {
    const { header, body } = packet;
    if (header.prog === KEEPALIVE_PROGRAM) {
      if (header.proc === KeepaliveProc.PING) this.sendKeepalive(KeepaliveProc.PONG);
      return;
    }
    if (header.prog !== REMOTE_PROGRAM) return;
    switch (header.type) {
      case MessageType.REPLY: {
        const call = this.pending.get(header.serial);
        if (!call) {
          // Timed out earlier (dropped), or a stream's abort acknowledgement.
          this.streams.get(header.serial)?.onStreamPacket(header.status, body);
          return;
        }
        this.pending.delete(header.serial);
        if (call.timer) clearTimeout(call.timer);
        if (header.status === MessageStatus.OK) {
          call.resolve(body);
        } else {
          // A failed stream-opening call, or a stream error reported as a reply.
          const err = decodeError(body, call.proc);
          this.streams.get(header.serial)?.onConnectionLost(err);
          this.streams.delete(header.serial);
          call.reject(err);
        }
        return;
      }
      case MessageType.STREAM: {
        this.streams.get(header.serial)?.onStreamPacket(header.status, body);
        return;
      }
      case MessageType.MESSAGE: {
        const resource = decodeResourceEvent(header.proc, body);
        if (resource) this.emitResourceEvent(resource);
        else this.emitEvent(decodeDomainEvent(header.proc, body));
        return;
      }
      default:
        return;
    }
  }

  private emitResourceEvent(ev: ResourceEvent): void {
    // Each kind doubles as its event name (see LibvirtClientEvents).
    (this.emit as (name: ResourceEvent["kind"], e: ResourceEvent) => boolean)(ev.kind, ev);
  }

  private emitEvent(ev: DomainEvent | UnknownEventPayload): void {
    if (ev.kind === "unknown") {
      this.emit("unknown-event", ev);
      return;
    }
    // Each event kind doubles as its event name (see LibvirtClientEvents).
    (this.emit as (name: DomainEvent["kind"], e: DomainEvent) => boolean)(ev.kind, ev);
    this.emit("domain-event", ev);
  }

  private sendKeepalive(proc: number): void {
    const socket = this.socket;
    if (!socket || socket.destroyed) return;
    socket.write(
      encodePacket({ prog: KEEPALIVE_PROGRAM, vers: PROTOCOL_VERSION, proc, type: MessageType.MESSAGE, serial: 0, status: MessageStatus.OK }),
    );
  }

  private async startKeepalive(cfg: { intervalMs: number; count: number }): Promise<void> {
    // The daemon only answers pings from clients that asked for the feature.
    const supported = await this.call(
      Proc.CONNECT_SUPPORTS_FEATURE,
      (w) => w.int(DrvFeature.PROGRAM_KEEPALIVE),
      (r) => r.int(),
    );
    if (supported !== 1) return;
    this.keepaliveTimer = setInterval(() => {
      const silentMs = Date.now() - this.lastInbound;
      if (silentMs >= cfg.intervalMs * cfg.count) {
        this.destroy(new ConnectionClosedError(`no traffic from libvirt for ${silentMs} ms (keepalive)`));
      } else if (silentMs >= cfg.intervalMs) {
        this.sendKeepalive(KeepaliveProc.PING);
      }
    }, cfg.intervalMs);
    this.keepaliveTimer.unref();
  }

  private teardown(err: Error | null): void {
    if (this.keepaliveTimer) clearInterval(this.keepaliveTimer);
    this.keepaliveTimer = null;
    const failure = err ?? new ConnectionClosedError();
    for (const call of this.pending.values()) {
      if (call.timer) clearTimeout(call.timer);
      call.reject(failure);
    }
    this.pending.clear();
    for (const sink of this.streams.values()) sink.onConnectionLost(failure);
    this.streams.clear();
    const wasOpen = this.socket !== null;
    this.socket?.removeAllListeners("data");
    this.splitter = new FrameSplitter(this.opts.maxFrameBytes);
    if (wasOpen && !this.closedEmitted) {
      this.closedEmitted = true;
      this.emit("close", err);
    }
  }

  /** 'error' without a listener would throw and kill the agent; only emit to listeners. */
  private report(err: Error): void {
    if (this.listenerCount("error") > 0) this.emit("error", err);
  }
}

function dial(path: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.createConnection({ path });
    const onError = (err: Error) => {
      socket.destroy();
      reject(err);
    };
    socket.once("error", onError);
    socket.once("connect", () => {
      socket.off("error", onError);
      resolve(socket);
    });
  });
}
