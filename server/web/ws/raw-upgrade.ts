// Answering a raw upgrade (`Upgrade: hangar-relay`, agents' console data) in this process.
// Its own module so that the console broker, which answers them, does not import the
// upgrade handler (that closed a cycle: broker → upgrade → services → broker).
import type { Socket } from "node:net";
import { RAW_UPGRADE_ACCEPT } from "../../protocol";

/** Answers a raw upgrade; the socket is paused until its owner listens. */
export function acceptRaw(socket: Socket, head: Buffer): Socket {
  socket.write(RAW_UPGRADE_ACCEPT);
  // Node's HTTP parser left the socket flowing: hold bytes until the owner listens.
  socket.pause();
  if (head.length) socket.unshift(head);
  return socket;
}
