// libvirt data streams (serial console, screenshots) as Node duplex streams. A stream
// lives on the serial of the call that opened it: STREAM packets with status CONTINUE
// carry data both ways (an empty one from the daemon means end-of-data), OK is the
// end-of-data handshake (our finish, the daemon's acknowledgement), ERROR carries a
// remote_error (or, from us, an abort). Data may arrive before the call's REPLY.
import { Duplex } from "node:stream";
import { type LibvirtClient, type StreamSink } from "./client";
import { decodeError } from "./errors";
import { MessageStatus, STREAM_CHUNK_BYTES } from "./packet";
import { Proc } from "./procedures";
import { writeDomain, type DomainRef } from "./wire-types";
import type { XdrWriter } from "./xdr";

export interface LibvirtStreamOptions {
  /**
   * Bytes buffered for a slow reader before the connection stops reading the socket.
   * Default 256 KiB: a few screens of console output.
   */
  highWaterMark?: number;
  /** How long close() waits for the daemon to confirm the abort. Default 2 s. */
  closeTimeoutMs?: number;
}

/**
 * A libvirt stream. Readable side: data from the daemon ('data', 'end'). Writable side:
 * write() sends data, end() sends end-of-data. close() aborts the stream and resolves
 * once the daemon has released it (so a console can be reopened at once).
 *
 * Backpressure: when the readable buffer passes highWaterMark the whole connection stops
 * reading until the consumer catches up; memory stays bounded and the daemon (and, for
 * a console, the guest's serial port) is slowed down instead. Because that also delays
 * other replies on the connection, open consoles on a client of their own.
 */
export class LibvirtStream extends Duplex implements StreamSink {
  private remoteEnded = false;
  private finishSent = false;
  private aborting = false;
  private released = false;
  private readingPaused = false;
  private abortAck: (() => void) | null = null;
  private readonly closeTimeoutMs: number;
  private handedOut = false;
  private deferredError: Error | null = null;
  /** Why the stream failed, also when no 'error' listener was there to hear it. */
  failure: Error | null = null;

  constructor(
    private readonly client: LibvirtClient,
    private readonly proc: number,
    readonly serial: number,
    options: LibvirtStreamOptions = {},
  ) {
    super({ readableHighWaterMark: options.highWaterMark ?? 256 * 1024, allowHalfOpen: true });
    this.closeTimeoutMs = options.closeTimeoutMs ?? 2_000;
  }

  onStreamPacket(status: number, body: Buffer): void {
    if (this.aborting) {
      // Whatever arrives after our abort (ack or late data) ends the session.
      this.abortAck?.();
      return;
    }
    switch (status) {
      case MessageStatus.CONTINUE:
        if (this.remoteEnded) return;
        // The daemon signals end-of-data with an empty data packet; OK only ever
        // acknowledges our own finish.
        if (body.length === 0) {
          this.onRemoteEnd();
          return;
        }
        // Copy: the frame's buffer may be a slice of a much larger socket chunk.
        if (!this.push(Buffer.from(body)) && !this.readingPaused) {
          this.readingPaused = true;
          this.client.pauseReading();
        }
        return;
      case MessageStatus.OK:
        this.onRemoteEnd();
        return;
      case MessageStatus.ERROR:
        this.release();
        this.fail(decodeError(body, this.proc));
        return;
      default:
        return;
    }
  }

  onConnectionLost(err: Error): void {
    this.released = true;
    this.resumeSocket();
    this.fail(err);
  }

  /**
   * Marks the stream as given to its user. Errors that arrive earlier (often in the same
   * socket chunk as the opening reply) are held until then, and delivered a macrotask
   * later so the caller has had the chance to attach its listeners.
   */
  handOut(): void {
    if (this.handedOut) return;
    this.handedOut = true;
    const err = this.deferredError;
    this.deferredError = null;
    if (err) setImmediate(() => this.fail(err));
  }

  /**
   * An 'error' event without a listener would crash the agent (e.g. on a daemon
   * restart), so errors are emitted only to listeners; otherwise the stream just closes
   * and `failure` tells why.
   */
  private fail(err: Error): void {
    this.failure ??= err;
    if (!this.handedOut) {
      this.deferredError ??= err;
      return;
    }
    if (this.destroyed) return;
    this.destroy(this.listenerCount("error") > 0 ? err : undefined);
  }

  /** Aborts the stream; resolves once the daemon acknowledged (or after closeTimeoutMs). */
  close(): Promise<void> {
    if (this.released || this.aborting) {
      this.destroy();
      return Promise.resolve();
    }
    this.aborting = true;
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.abortAck = null;
        this.release();
        if (!this.destroyed) this.destroy();
        resolve();
      };
      const timer = setTimeout(done, this.closeTimeoutMs);
      this.abortAck = done;
      // libvirt's own client aborts with an empty ERROR packet on the stream's serial.
      this.client.sendStreamPacket(this.proc, this.serial, MessageStatus.ERROR, Buffer.alloc(0), (err) => {
        if (err) done();
      });
      this.resumeSocket();
    });
  }

  override _read(): void {
    this.resumeSocket();
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    if (this.released || this.remoteEnded || this.aborting) {
      cb(new Error("libvirt stream is closed"));
      return;
    }
    // Chunk large writes so other calls on the socket can interleave.
    let offset = 0;
    const sendNext = (err?: Error | null): void => {
      if (err) return cb(err);
      if (offset >= chunk.length) return cb();
      const part = chunk.subarray(offset, offset + STREAM_CHUNK_BYTES);
      offset += part.length;
      this.client.sendStreamPacket(this.proc, this.serial, MessageStatus.CONTINUE, part, sendNext);
    };
    sendNext();
  }

  override _final(cb: (err?: Error | null) => void): void {
    if (this.released || this.finishSent || this.aborting) return cb();
    this.finishSent = true;
    this.client.sendStreamPacket(this.proc, this.serial, MessageStatus.OK, Buffer.alloc(0), (err) => cb(err));
  }

  override _destroy(err: Error | null, cb: (err: Error | null) => void): void {
    // A finished handshake (both ends sent end-of-data) needs no abort: the daemon's
    // acknowledgement, or the timer set in onRemoteEnd, releases the serial.
    const handshakeDone = this.remoteEnded && this.finishSent;
    if (!this.released && !this.aborting && !handshakeDone) {
      // Destroyed without close(): still tell the daemon, without waiting for it.
      this.aborting = true;
      this.client.sendStreamPacket(this.proc, this.serial, MessageStatus.ERROR, Buffer.alloc(0));
      setTimeout(() => this.release(), this.closeTimeoutMs).unref();
      this.abortAck = () => this.release();
    }
    this.resumeSocket();
    cb(err);
  }

  private onRemoteEnd(): void {
    if (this.remoteEnded) {
      // The daemon's acknowledgement of our finish after its own end-of-data.
      this.release();
      return;
    }
    this.remoteEnded = true;
    this.push(null);
    if (this.finishSent) {
      // Our end() came first; this OK is both the ack and the daemon's end.
      this.release();
    } else {
      // libvirt expects the client to confirm end-of-data with its own OK (what
      // virStreamFinish does); until then the daemon keeps the stream registered.
      this.finishSent = true;
      this.client.sendStreamPacket(this.proc, this.serial, MessageStatus.OK, Buffer.alloc(0));
      setTimeout(() => this.release(), this.closeTimeoutMs).unref();
    }
    this.end();
  }

  private resumeSocket(): void {
    if (!this.readingPaused) return;
    this.readingPaused = false;
    this.client.resumeReading();
  }

  private release(): void {
    if (this.released) return;
    this.released = true;
    this.client.unregisterStream(this.serial);
    this.resumeSocket();
  }
}

/**
 * Opens a domain's console (serial or virtio, `devName` null = the first one) as a duplex
 * stream. libvirt allows one session per console: a second open fails unless
 * ConsoleFlags.FORCE takes it over, so callers should hold one stream per domain and fan
 * its output out to viewers.
 */
export async function domainOpenConsole(
  client: LibvirtClient,
  dom: DomainRef,
  devName: string | null = null,
  flags = 0,
  options: LibvirtStreamOptions = {},
): Promise<LibvirtStream> {
  return openStream(
    client,
    Proc.DOMAIN_OPEN_CONSOLE,
    (w) => {
      writeDomain(w, dom);
      w.optional(devName, (x, v) => x.string(v)).uint(flags);
    },
    "console",
    options,
  );
}

/**
 * Makes a call that opens a stream and hands the stream out once libvirt accepted the call
 * (the shared path of consoles, volume uploads and downloads). `what` names it in the error.
 */
export async function openStream(
  client: LibvirtClient,
  proc: number,
  write: (w: XdrWriter) => void,
  what: string,
  options: LibvirtStreamOptions = {},
): Promise<LibvirtStream> {
  let stream: LibvirtStream | null = null;
  await client.callWithStream(proc, write, (serial) => (stream = new LibvirtStream(client, proc, serial, options)));
  const st = stream as LibvirtStream | null;
  if (!st) throw new Error(`${what} stream was not created`);
  st.handOut();
  return st;
}

/** Takes a screenshot of a running domain's screen; returns the image and its MIME type. */
export async function domainScreenshot(
  client: LibvirtClient,
  dom: DomainRef,
  screen = 0,
  maxBytes = 64 * 1024 * 1024,
): Promise<{ mime: string | null; data: Buffer }> {
  const chunks: Buffer[] = [];
  let total = 0;
  let finished: Promise<void> | null = null;
  const { ret: mime } = await client.callWithStream(
    Proc.DOMAIN_SCREENSHOT,
    (w) => {
      writeDomain(w, dom);
      w.uint(screen).uint(0);
    },
    (serial) => {
      const st = new LibvirtStream(client, Proc.DOMAIN_SCREENSHOT, serial, { highWaterMark: 1024 * 1024 });
      // Listeners are attached right here, so errors need no holding back.
      st.handOut();
      // Attach the collector now: data may arrive in the same chunk as the reply.
      st.on("data", (c: Buffer) => {
        total += c.length;
        if (total > maxBytes) st.destroy(new Error(`screenshot larger than ${maxBytes} bytes`));
        else chunks.push(c);
      });
      finished = new Promise<void>((resolve, reject) => {
        st.once("end", resolve);
        st.once("error", reject);
      });
      // Awaited below; this only keeps a failed call from leaving an unhandled rejection.
      finished.catch(() => undefined);
      return st;
    },
    (r) => r.optional((x) => x.string()),
  );
  await (finished as Promise<void> | null);
  return { mime, data: Buffer.concat(chunks, total) };
}
