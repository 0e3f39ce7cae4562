// Joins two raw byte streams both ways in the relay process: a peer server's hop and the
// agent's data connection, for a console whose browser is on the peer (decision 0005,
// consoles). Here rather than in the server process for the reason the relay process
// exists (child.ts: console bytes in the server's big heap cost full collections; measured
// for the hop: 5.5-11.4 ms of CPU per MB in the server against 3.0 on the local path).
// Flow control as the browser relay's: a side with more than HWM bytes not yet flushed
// stops the other side's reads until half of that is gone, so nothing is buffered without
// bound. When either side ends or fails both are closed: the peer's relay then closes
// the browser's console as "closed by the host", as on one server.
import type { Socket } from "node:net";
import { readLarge } from "./large-reads";

/** As stream-relay.ts: QEMU sends one frame per request, a deep buffer adds only latency. */
const HWM = 256 * 1024;

type Side = "a" | "b";

/**
 * Splices `a` and `b` (each with the bytes read before, sent first); `onClose` once, when
 * either goes. Returns what closes both.
 */
export function splice(a: Socket, aHead: Buffer, b: Socket, bHead: Buffer, onClose: () => void): () => void {
  // Each side's reads move to a socket with pooled buffers (readLarge), whose first reads
  // may come before the other side's exists: those, and the heads, wait in `early`.
  const out: Record<Side, Socket | null> = { a: null, b: null };
  const early: Record<Side, Buffer[]> = { a: bHead.length ? [bHead] : [], b: aHead.length ? [aHead] : [] };
  let ready = false;
  const reader = (from: Socket, to: Side): Socket => {
    let paused = false;
    const moved: Socket = readLarge(from, (chunk, release) => {
      const target = ready ? out[to] : null;
      if (!target) {
        early[to].push(Buffer.from(chunk));
        release();
        return true;
      }
      target.write(chunk, () => {
        release();
        if (paused && target.writableLength < HWM / 2) {
          paused = false;
          moved.resume();
        }
      });
      if (target.writableLength <= HWM) return true;
      paused = true;
      return false;
    });
    return moved;
  };
  out.a = reader(a, "b");
  out.b = reader(b, "a");
  for (const side of ["a", "b"] as const) for (const chunk of early[side].splice(0)) out[side]!.write(chunk);
  ready = true;
  let closed = false;
  const done = () => {
    out.a!.destroy();
    out.b!.destroy();
    if (closed) return;
    closed = true;
    onClose();
  };
  for (const s of [out.a, out.b]) {
    s.setNoDelay(true);
    // A FIN alone emits no 'close' on a half-open socket.
    s.once("end", done);
    s.once("close", done);
    s.on("error", done);
    s.resume();
  }
  return done;
}
