// XDR (RFC 4506) encoding and decoding, limited to what libvirt's remote protocol uses.
// Everything is big-endian and padded to 4 bytes. 64-bit integers are bigint because
// libvirt reports nanosecond CPU times and byte counters that overflow 2^53.

/** libvirt's REMOTE_STRING_MAX: the daemon refuses longer strings, so do we. */
export const XDR_STRING_MAX = 4 * 1024 * 1024;

export class XdrError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "XdrError";
  }
}

const pad4 = (n: number): number => (4 - (n % 4)) % 4;

export class XdrWriter {
  private buf: Buffer;
  private pos = 0;

  constructor(initialSize = 256) {
    this.buf = Buffer.allocUnsafe(initialSize);
  }

  /** Grows by doubling so that a long sequence of small writes stays linear. */
  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  int(v: number): this {
    if (!Number.isInteger(v) || v < -0x80000000 || v > 0x7fffffff) throw new XdrError(`int out of range: ${v}`);
    this.ensure(4);
    this.buf.writeInt32BE(v, this.pos);
    this.pos += 4;
    return this;
  }

  uint(v: number): this {
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new XdrError(`uint out of range: ${v}`);
    this.ensure(4);
    this.buf.writeUInt32BE(v, this.pos);
    this.pos += 4;
    return this;
  }

  hyper(v: bigint): this {
    this.ensure(8);
    this.buf.writeBigInt64BE(BigInt.asIntN(64, v) === v ? v : fail64(v), this.pos);
    this.pos += 8;
    return this;
  }

  uhyper(v: bigint): this {
    this.ensure(8);
    this.buf.writeBigUInt64BE(BigInt.asUintN(64, v) === v ? v : fail64(v), this.pos);
    this.pos += 8;
    return this;
  }

  double(v: number): this {
    this.ensure(8);
    this.buf.writeDoubleBE(v, this.pos);
    this.pos += 8;
    return this;
  }

  bool(v: boolean): this {
    return this.int(v ? 1 : 0);
  }

  /** Fixed-length opaque (e.g. a 16-byte UUID): no length prefix, padded. */
  fixedOpaque(data: Uint8Array, length: number): this {
    if (data.length !== length) throw new XdrError(`fixed opaque needs ${length} bytes, got ${data.length}`);
    this.ensure(length + pad4(length));
    this.buf.set(data, this.pos);
    this.pos += length;
    this.zeroPad(length);
    return this;
  }

  opaque(data: Uint8Array, max = XDR_STRING_MAX): this {
    if (data.length > max) throw new XdrError(`opaque of ${data.length} bytes exceeds ${max}`);
    this.uint(data.length);
    this.ensure(data.length + pad4(data.length));
    this.buf.set(data, this.pos);
    this.pos += data.length;
    this.zeroPad(data.length);
    return this;
  }

  string(s: string, max = XDR_STRING_MAX): this {
    return this.opaque(Buffer.from(s, "utf8"), max);
  }

  /** XDR `*T`: a presence flag then the value. */
  optional<T>(v: T | null | undefined, write: (w: this, v: T) => void): this {
    if (v === null || v === undefined) return this.uint(0);
    this.uint(1);
    write(this, v);
    return this;
  }

  array<T>(items: readonly T[], write: (w: this, v: T) => void, max = Number.MAX_SAFE_INTEGER): this {
    if (items.length > max) throw new XdrError(`array of ${items.length} exceeds ${max}`);
    this.uint(items.length);
    for (const item of items) write(this, item);
    return this;
  }

  private zeroPad(n: number): void {
    const p = pad4(n);
    this.buf.fill(0, this.pos, this.pos + p);
    this.pos += p;
  }

  get length(): number {
    return this.pos;
  }

  /** A view of the written bytes (valid until the next write). */
  toBuffer(): Buffer {
    return this.buf.subarray(0, this.pos);
  }
}

function fail64(v: bigint): never {
  throw new XdrError(`64-bit value out of range: ${v}`);
}

export class XdrReader {
  private pos = 0;

  constructor(private readonly buf: Buffer) {}

  private need(n: number): void {
    if (this.pos + n > this.buf.length) {
      throw new XdrError(`truncated XDR: need ${n} bytes at offset ${this.pos}, have ${this.buf.length - this.pos}`);
    }
  }

  int(): number {
    this.need(4);
    const v = this.buf.readInt32BE(this.pos);
    this.pos += 4;
    return v;
  }

  uint(): number {
    this.need(4);
    const v = this.buf.readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }

  hyper(): bigint {
    this.need(8);
    const v = this.buf.readBigInt64BE(this.pos);
    this.pos += 8;
    return v;
  }

  uhyper(): bigint {
    this.need(8);
    const v = this.buf.readBigUInt64BE(this.pos);
    this.pos += 8;
    return v;
  }

  double(): number {
    this.need(8);
    const v = this.buf.readDoubleBE(this.pos);
    this.pos += 8;
    return v;
  }

  bool(): boolean {
    const v = this.int();
    if (v !== 0 && v !== 1) throw new XdrError(`bad XDR bool ${v}`);
    return v === 1;
  }

  fixedOpaque(length: number): Buffer {
    this.need(length + pad4(length));
    const out = Buffer.from(this.buf.subarray(this.pos, this.pos + length));
    this.pos += length + pad4(length);
    return out;
  }

  /** Copies the bytes out so the frame buffer can be released. */
  opaque(max = XDR_STRING_MAX): Buffer {
    const len = this.uint();
    if (len > max) throw new XdrError(`opaque length ${len} exceeds ${max}`);
    return this.fixedOpaque(len);
  }

  string(max = XDR_STRING_MAX): string {
    const len = this.uint();
    if (len > max) throw new XdrError(`string length ${len} exceeds ${max}`);
    this.need(len + pad4(len));
    const s = this.buf.toString("utf8", this.pos, this.pos + len);
    this.pos += len + pad4(len);
    return s;
  }

  optional<T>(read: (r: this) => T): T | null {
    const flag = this.uint();
    if (flag === 0) return null;
    if (flag !== 1) throw new XdrError(`bad optional flag ${flag}`);
    return read(this);
  }

  array<T>(read: (r: this) => T, max = Number.MAX_SAFE_INTEGER): T[] {
    const count = this.uint();
    // Every XDR item takes at least 4 bytes: a count larger than that is corrupt, and
    // checking it first stops a bogus count from allocating a huge array.
    if (count > max || count * 4 > this.remaining) {
      throw new XdrError(`array count ${count} is larger than allowed or than the data left`);
    }
    const out: T[] = [];
    for (let i = 0; i < count; i++) out.push(read(this));
    return out;
  }

  get remaining(): number {
    return this.buf.length - this.pos;
  }

  get offset(): number {
    return this.pos;
  }

  /** Rest of the buffer (stream payloads are raw bytes, not XDR). */
  rest(): Buffer {
    const out = this.buf.subarray(this.pos);
    this.pos = this.buf.length;
    return out;
  }
}
