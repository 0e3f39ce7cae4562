// A minimal RFB 3.8 client (no auth, raw encoding) over any byte transport, for measuring
// the console path: time per frame round trip and raw-frame throughput.
import net from "node:net";
import WebSocket from "ws";

export interface Transport {
  write(b: Buffer): void;
  onData(cb: (b: Buffer) => void): void;
  close(): void;
}

export function tcpTransport(port: number): Promise<Transport> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: "127.0.0.1", port }, () => {
      s.setNoDelay(true);
      resolve({ write: (b) => s.write(b), onData: (cb) => s.on("data", cb), close: () => s.destroy() });
    });
    s.once("error", reject);
  });
}

export function wsTransport(url: string, protocols: string[] = [], headers: Record<string, string> = {}): Promise<Transport> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, protocols, { headers, perMessageDeflate: false });
    ws.binaryType = "nodebuffer";
    ws.once("open", () => resolve({ write: (b) => ws.send(b), onData: (cb) => ws.on("message", (d) => cb(d as Buffer)), close: () => ws.close() }));
    ws.on("close", (code, reason) => {
      if (code !== 1000 && code !== 1005) console.error(`[bench] websocket closed: ${code} ${reason.toString()}`);
    });
    ws.once("error", reject);
    ws.once("unexpected-response", (_q, r) => reject(new Error(`upgrade refused: ${r.statusCode}`)));
  });
}

class Reader {
  private buf: Buffer = Buffer.alloc(0);
  private waiters: { n: number; resolve: (b: Buffer) => void }[] = [];
  constructor(t: Transport) {
    t.onData((b) => {
      this.buf = this.buf.length ? Buffer.concat([this.buf, b]) : b;
      this.pump();
    });
  }
  read(n: number): Promise<Buffer> {
    return new Promise((resolve) => {
      this.waiters.push({ n, resolve });
      this.pump();
    });
  }
  private pump() {
    while (this.waiters.length && this.buf.length >= this.waiters[0]!.n) {
      const w = this.waiters.shift()!;
      const out = this.buf.subarray(0, w.n);
      this.buf = this.buf.subarray(w.n);
      w.resolve(out);
    }
  }
}

export class RfbSession {
  private r: Reader;
  width = 0;
  height = 0;
  bpp = 32;
  /** Pixel bytes that were not zero in the last frame (a black screen has none). */
  litBytes = 0;
  private constructor(private readonly t: Transport) {
    this.r = new Reader(t);
  }

  static async open(t: Transport): Promise<RfbSession> {
    const s = new RfbSession(t);
    const version = (await s.r.read(12)).toString("latin1");
    if (!version.startsWith("RFB ")) throw new Error(`not RFB: ${version}`);
    t.write(Buffer.from("RFB 003.008\n"));
    const n = (await s.r.read(1))[0]!;
    const types = [...(await s.r.read(n))];
    if (!types.includes(1)) throw new Error(`VNC server wants auth: ${types}`);
    t.write(Buffer.from([1]));
    if ((await s.r.read(4)).readUInt32BE(0) !== 0) throw new Error("security failed");
    t.write(Buffer.from([1])); // shared
    const init = await s.r.read(24);
    s.width = init.readUInt16BE(0);
    s.height = init.readUInt16BE(2);
    s.bpp = init[4]!;
    await s.r.read(init.readUInt32BE(20)); // name
    const enc = Buffer.alloc(8);
    enc.writeUInt8(2, 0);
    enc.writeUInt16BE(1, 2);
    enc.writeInt32BE(0, 4); // raw only: every frame is the full pixel data
    t.write(enc);
    return s;
  }

  /** Requests a full (non-incremental) update and resolves when all of it arrived. */
  async frame(w = this.width, h = this.height): Promise<number> {
    const req = Buffer.alloc(10);
    req.writeUInt8(3, 0);
    req.writeUInt8(0, 1);
    req.writeUInt16BE(0, 2);
    req.writeUInt16BE(0, 4);
    req.writeUInt16BE(w, 6);
    req.writeUInt16BE(h, 8);
    this.t.write(req);
    for (;;) {
      const type = (await this.r.read(1))[0]!;
      if (type === 0) break;
      if (type === 2) continue; // bell
      if (type === 3) {
        const hdr = await this.r.read(7);
        await this.r.read(hdr.readUInt32BE(3));
        continue;
      }
      throw new Error(`unexpected RFB message ${type}`);
    }
    const hdr = await this.r.read(3);
    let bytes = 0;
    this.litBytes = 0;
    for (let i = 0; i < hdr.readUInt16BE(1); i++) {
      const rect = await this.r.read(12);
      const rw = rect.readUInt16BE(4);
      const rh = rect.readUInt16BE(6);
      const encoding = rect.readInt32BE(8);
      if (encoding !== 0) continue; // pseudo-encodings carry no pixels here
      const n = rw * rh * (this.bpp / 8);
      const px = await this.r.read(n);
      for (const b of px) if (b) this.litBytes++;
      bytes += n;
    }
    return bytes;
  }

  close() {
    this.t.close();
  }
}
