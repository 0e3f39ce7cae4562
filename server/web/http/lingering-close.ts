// Lingering close. When an answer ends a connection (Connection: close, e.g. a 413 whose
// body was not read on), Node ends the socket and destroys it as soon as the answer is
// flushed. A client still sending its body then gets a reset, often before it has read
// the answer (EPIPE / ECONNRESET instead of the 413 and its message). Instead, the socket
// is ended (FIN: no more answers) and still read, dropping what arrives, until the client
// closes its side or LINGER_MS pass: the client reads the answer and stops.
import type { Server } from "node:http";
import type { Socket } from "node:net";

const LINGER_MS = 3000;

export function lingerOnClose(server: Server): void {
  server.on("connection", (socket: Socket) => {
    // Node's HTTP server calls destroySoon() (end, then destroy once flushed) after an
    // answer that closes the connection.
    socket.destroySoon = () => {
      if (socket.destroyed) return;
      if (socket.writable) socket.end();
      const timer = setTimeout(() => socket.destroy(), LINGER_MS);
      timer.unref();
      socket.once("close", () => clearTimeout(timer));
      // The client's FIN: nothing more will arrive (the server allows half-open sockets).
      socket.once("end", () => socket.destroy());
      socket.resume();
    };
  });
}
