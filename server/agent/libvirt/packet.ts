// libvirt RPC framing: u32 total length (counting itself) + 24-byte header + XDR body.
import { XdrError, XdrReader, XdrWriter } from "./xdr";

export const REMOTE_PROGRAM = 0x20008086;
export const QEMU_PROGRAM = 0x20008087;
/** "keep" in ASCII: the keepalive program has no version negotiation of its own. */
export const KEEPALIVE_PROGRAM = 0x6b656570;
export const PROTOCOL_VERSION = 1;

export const KeepaliveProc = { PING: 1, PONG: 2 } as const;

export const MessageType = {
  CALL: 0,
  REPLY: 1,
  MESSAGE: 2,
  STREAM: 3,
  CALL_WITH_FDS: 4,
  REPLY_WITH_FDS: 5,
  STREAM_HOLE: 6,
} as const;

export const MessageStatus = { OK: 0, ERROR: 1, CONTINUE: 2 } as const;

export const LENGTH_BYTES = 4;
export const HEADER_BYTES = 24;
export const FRAME_OVERHEAD = LENGTH_BYTES + HEADER_BYTES;

/**
 * libvirt's VIR_NET_MESSAGE_MAX. Older releases used 16 MiB; current virnetprotocol.x
 * says 32 MiB, so a daemon may legally send that much (e.g. bulk stats of thousands of
 * domains). Anything larger is a corrupt or hostile stream.
 */
export const DEFAULT_MAX_FRAME_BYTES = 32 * 1024 * 1024;

/**
 * Payload size for stream packets we send: libvirt's VIR_NET_MESSAGE_LEGACY_PAYLOAD_MAX.
 * Every daemon version accepts it, and small packets keep other calls on the shared
 * socket from waiting behind one big write.
 */
export const STREAM_CHUNK_BYTES = 262120;

export interface PacketHeader {
  prog: number;
  vers: number;
  proc: number;
  type: number;
  serial: number;
  status: number;
}

export interface Packet {
  header: PacketHeader;
  /** XDR body, or raw bytes for stream data. */
  body: Buffer;
}

export class ProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ProtocolError";
  }
}

export function encodePacket(header: PacketHeader, body: Uint8Array = Buffer.alloc(0)): Buffer {
  const out = Buffer.allocUnsafe(FRAME_OVERHEAD + body.length);
  out.writeUInt32BE(out.length, 0);
  out.writeUInt32BE(header.prog, 4);
  out.writeUInt32BE(header.vers, 8);
  out.writeInt32BE(header.proc, 12);
  out.writeInt32BE(header.type, 16);
  out.writeUInt32BE(header.serial, 20);
  out.writeInt32BE(header.status, 24);
  out.set(body, FRAME_OVERHEAD);
  return out;
}

/** Decodes one whole frame (length word included). */
export function decodePacket(frame: Buffer): Packet {
  if (frame.length < FRAME_OVERHEAD) throw new ProtocolError(`frame of ${frame.length} bytes is shorter than a header`);
  const len = frame.readUInt32BE(0);
  if (len !== frame.length) throw new ProtocolError(`frame length word ${len} does not match ${frame.length} bytes`);
  const r = new XdrReader(frame.subarray(LENGTH_BYTES, FRAME_OVERHEAD));
  const header: PacketHeader = {
    prog: r.uint(),
    vers: r.uint(),
    proc: r.int(),
    type: r.int(),
    serial: r.uint(),
    status: r.int(),
  };
  return { header, body: frame.subarray(FRAME_OVERHEAD) };
}

/** Convenience for building a CALL body and frame in one go. */
export function encodeCall(prog: number, proc: number, serial: number, writeArgs?: (w: XdrWriter) => void): Buffer {
  const w = new XdrWriter();
  writeArgs?.(w);
  return encodePacket({ prog, vers: PROTOCOL_VERSION, proc, type: MessageType.CALL, serial, status: MessageStatus.OK }, w.toBuffer());
}

/**
 * Splits a byte stream into whole frames. Socket chunks may end anywhere (mid length
 * word, mid header, mid body); chunks are kept in a list and joined only once a whole
 * frame is present, so a large frame arriving in many chunks is copied once.
 */
export class FrameSplitter {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private failed: ProtocolError | null = null;

  constructor(private readonly maxFrameBytes = DEFAULT_MAX_FRAME_BYTES) {}

  /** Returns the frames completed by this chunk; throws ProtocolError on a bad length. */
  push(chunk: Buffer): Buffer[] {
    if (this.failed) throw this.failed;
    if (chunk.length > 0) {
      this.chunks.push(chunk);
      this.buffered += chunk.length;
    }
    const frames: Buffer[] = [];
    for (;;) {
      if (this.buffered < LENGTH_BYTES) break;
      const len = this.peekLength();
      if (len < FRAME_OVERHEAD || len > this.maxFrameBytes) {
        // The stream cannot be resynchronised after a bad length: fail for good.
        this.failed = new ProtocolError(
          len < FRAME_OVERHEAD
            ? `frame length ${len} is shorter than the ${FRAME_OVERHEAD}-byte header`
            : `frame length ${len} exceeds the ${this.maxFrameBytes}-byte limit`,
        );
        this.chunks = [];
        this.buffered = 0;
        throw this.failed;
      }
      if (this.buffered < len) break;
      frames.push(this.take(len));
    }
    return frames;
  }

  /** Bytes held waiting for the rest of a frame. */
  get pending(): number {
    return this.buffered;
  }

  private peekLength(): number {
    const first = this.chunks[0];
    if (first && first.length >= LENGTH_BYTES) return first.readUInt32BE(0);
    const head = Buffer.alloc(LENGTH_BYTES);
    let off = 0;
    for (const c of this.chunks) {
      off += c.copy(head, off, 0, Math.min(c.length, LENGTH_BYTES - off));
      if (off === LENGTH_BYTES) break;
    }
    return head.readUInt32BE(0);
  }

  private take(len: number): Buffer {
    const first = this.chunks[0];
    if (first && first.length >= len) {
      // Common case: the frame sits inside one chunk; slice instead of copying.
      const frame = first.subarray(0, len);
      if (first.length === len) this.chunks.shift();
      else this.chunks[0] = first.subarray(len);
      this.buffered -= len;
      return frame;
    }
    const frame = Buffer.allocUnsafe(len);
    let off = 0;
    while (off < len) {
      const c = this.chunks[0];
      if (!c) throw new XdrError("frame splitter lost track of its chunks");
      const n = Math.min(c.length, len - off);
      c.copy(frame, off, 0, n);
      off += n;
      if (n === c.length) this.chunks.shift();
      else this.chunks[0] = c.subarray(n);
    }
    this.buffered -= len;
    return frame;
  }
}
