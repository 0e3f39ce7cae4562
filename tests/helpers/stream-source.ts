// A stand-in for a VNC server that streams a known pattern as fast as it is accepted, for
// tests of the console byte path's flow control (libvirt's test driver gives the agent a
// domain whose <graphics> points at it).
import net from "node:net";

export const CHUNK = 64 * 1024;

/** Byte i of the stream is (i mod 251), so order and completeness can be checked. */
export function pattern(offset: number, n: number): Buffer {
  const b = Buffer.allocUnsafe(n);
  for (let i = 0; i < n; i++) b[i] = (offset + i) % 251;
  return b;
}

/** On connect, streams the pattern; `state.accepted` is what the kernel took so far. */
export function streamServer() {
  const state = { accepted: 0, conns: 0 };
  const server = net.createServer((s) => {
    state.conns++;
    s.on("error", () => undefined);
    let offset = 0;
    const pump = () => {
      while (!s.destroyed) {
        const b = pattern(offset, CHUNK);
        offset += CHUNK;
        const more = s.write(b);
        state.accepted = offset - s.writableLength;
        if (!more) return void s.once("drain", pump);
      }
    };
    pump();
    setInterval(() => (state.accepted = offset - s.writableLength), 50).unref();
  });
  return { server, state };
}
