// Stops Node reading a socket, so that its handle can change hands (to another process, or
// to a new Socket) without a byte being read, or lost, on the way. Node has no public call
// for this: `_handle.readStop` is what its own `pause()` uses for sockets that read into a
// user buffer.
import type { Socket } from "node:net";

export interface StreamHandle {
  readStop?: () => number;
  reading?: boolean;
}

/**
 * Returns the bytes Node had already read, and the socket's handle with reading stopped;
 * `handle` is null (and nothing was stopped) when the handle is out of reach.
 */
export function stopReading(socket: Socket): { read: Buffer[]; handle: StreamHandle | null } {
  const read: Buffer[] = [];
  for (let b = socket.read() as Buffer | null; b !== null; b = socket.read() as Buffer | null) read.push(b);
  const handle = (socket as unknown as { _handle?: StreamHandle | null })._handle;
  if (!handle?.readStop) return { read, handle: null };
  handle.readStop();
  handle.reading = false;
  return { read, handle };
}
