// Joins two raw byte streams (a peer server's hop and the agent's data connection) both
// ways, with the flow control of the console relay: a side whose writes are not flushed
// past the high-water mark stops the other side's reads until it drains, so nothing is
// buffered without bound. When either side ends or fails, both are closed: the peer's
// relay then closes the browser's console as "closed by the host", as on one server.
import type { Socket } from "node:net";

/** As the relay's (console-relay/stream-relay.ts): QEMU sends one frame per request. */
const HWM = 256 * 1024;

function oneWay(from: Socket, to: Socket): void {
  from.on("data", (chunk: Buffer) => {
    to.write(chunk);
    if (to.writableLength <= HWM) return;
    from.pause();
    to.once("drain", () => from.resume());
  });
}

export function splice(a: Socket, aHead: Buffer, b: Socket, bHead: Buffer): void {
  a.setNoDelay(true);
  b.setNoDelay(true);
  // Bytes each side sent before the splice (read with its upgrade) go first.
  if (aHead.length) b.write(aHead);
  if (bHead.length) a.write(bHead);
  oneWay(a, b);
  oneWay(b, a);
  const done = () => {
    a.destroy();
    b.destroy();
  };
  // A FIN alone emits no 'close' on a half-open socket.
  for (const s of [a, b]) {
    s.once("end", done);
    s.once("close", done);
    s.on("error", done);
  }
  a.resume();
  b.resume();
}
