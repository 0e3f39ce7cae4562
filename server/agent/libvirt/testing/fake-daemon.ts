// A scripted stand-in for libvirtd on a temporary unix socket, for unit tests: it
// decodes our frames with the library's own splitter and lets a test decide the replies.
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import {
  decodePacket,
  encodePacket,
  FrameSplitter,
  MessageStatus,
  MessageType,
  PROTOCOL_VERSION,
  REMOTE_PROGRAM,
  type Packet,
  type PacketHeader,
} from "../packet";
import { Proc } from "../procedures";

/** Decides what to do with one packet from the client; return true when handled. */
export type PacketHandler = (packet: Packet, conn: FakeConnection) => boolean | void;

export class FakeConnection {
  readonly received: Packet[] = [];
  constructor(readonly socket: net.Socket) {}

  send(header: Partial<PacketHeader> & { proc: number; serial: number }, body: Uint8Array = Buffer.alloc(0)): void {
    this.socket.write(this.frame(header, body));
  }

  frame(header: Partial<PacketHeader> & { proc: number; serial: number }, body: Uint8Array = Buffer.alloc(0)): Buffer {
    return encodePacket({ prog: REMOTE_PROGRAM, vers: PROTOCOL_VERSION, type: MessageType.REPLY, status: MessageStatus.OK, ...header }, body);
  }

  reply(to: Packet, body: Uint8Array = Buffer.alloc(0), status: number = MessageStatus.OK): void {
    this.send({ proc: to.header.proc, serial: to.header.serial, status }, body);
  }
}

export class FakeDaemon {
  readonly socketPath: string;
  readonly connections: FakeConnection[] = [];
  private readonly server: net.Server;
  private readonly handlers: PacketHandler[] = [];

  private constructor() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hangar-fake-libvirt-"));
    this.socketPath = path.join(dir, "libvirt-sock");
    this.server = net.createServer((socket) => {
      const conn = new FakeConnection(socket);
      this.connections.push(conn);
      const splitter = new FrameSplitter();
      socket.on("data", (chunk) => {
        for (const frame of splitter.push(chunk)) {
          const packet = decodePacket(frame);
          conn.received.push(packet);
          for (const h of this.handlers) if (h(packet, conn)) break;
        }
      });
      socket.on("error", () => undefined);
    });
    // Default: a daemon that accepts AUTH_NONE and opens any URI.
    this.handlers.push((p, conn) => {
      if (p.header.type !== MessageType.CALL) return false;
      if (p.header.proc === Proc.AUTH_LIST) {
        conn.reply(p, Buffer.from("0000000100000000", "hex"));
        return true;
      }
      if (p.header.proc === Proc.CONNECT_OPEN || p.header.proc === Proc.CONNECT_CLOSE) {
        conn.reply(p);
        return true;
      }
      return false;
    });
  }

  static async start(): Promise<FakeDaemon> {
    const d = new FakeDaemon();
    await new Promise<void>((resolve) => d.server.listen(d.socketPath, resolve));
    return d;
  }

  /** Handlers added later run first, so a test can override the defaults. */
  on(handler: PacketHandler): void {
    this.handlers.unshift(handler);
  }

  get last(): FakeConnection {
    const c = this.connections[this.connections.length - 1];
    if (!c) throw new Error("no connection yet");
    return c;
  }

  async stop(): Promise<void> {
    for (const c of this.connections) c.socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    fs.rmSync(path.dirname(this.socketPath), { recursive: true, force: true });
  }
}
