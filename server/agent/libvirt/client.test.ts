// LibvirtClient against a scripted fake daemon: serial matching, errors, events,
// timeouts, connection loss, keepalive and streams, without a real libvirtd.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LibvirtClient } from "./client";
import { CallTimeoutError, ConnectionClosedError, LibvirtError } from "./errors";
import { connectGetLibVersion, nodeGetInfo } from "./host-api";
import { domainSuspend } from "./domain-api";
import { type LifecycleEventPayload } from "./events";
import { KEEPALIVE_PROGRAM, KeepaliveProc, MessageStatus, MessageType, ProtocolError, STREAM_CHUNK_BYTES } from "./packet";
import { ErrorCode, Proc } from "./procedures";
import { domainOpenConsole } from "./stream";
import { FakeDaemon } from "./testing/fake-daemon";
import { type DomainRef } from "./wire-types";
import { XdrWriter } from "./xdr";

// Recorded remote_error body (after the header) of DOMAIN_SUSPEND on a shut-off domain.
const SUSPEND_ERROR_BODY =
  "00000037000000140000000100000037526571756573746564206f7065726174696f6e206973206e6f742076616c69643a20646f6d61696e206973206e6f742072756e6e696e670000000002000000000000000100000024526571756573746564206f7065726174696f6e206973206e6f742076616c69643a2025730000000100000015646f6d61696e206973206e6f742072756e6e696e6700000000000000ffffffffffffffff00000000";
// Recorded lifecycle MESSAGE body: callbackID 7, "hangar-cap-5f5rit" id 5, RESUMED.
const LIFECYCLE_BODY = "000000070000001168616e6761722d6361702d3566357269740000006e1b0c572f6a4a529d3f1c2b3a4d5e6f000000050000000400000000";

const DOM: DomainRef = { name: "vm1", uuid: "6e1b0c57-2f6a-4a52-9d3f-1c2b3a4d5e6f", id: 1 };
const u64 = (v: bigint) => new XdrWriter().uhyper(v).toBuffer();
const tick = (ms = 20) => new Promise((r) => setTimeout(r, ms));

let daemon: FakeDaemon;
let client: LibvirtClient;

beforeEach(async () => {
  daemon = await FakeDaemon.start();
  client = new LibvirtClient({ socketPath: daemon.socketPath, callTimeoutMs: 2_000 });
});

afterEach(async () => {
  client.destroy();
  await daemon.stop();
});

describe("LibvirtClient calls", () => {
  it("authenticates with AUTH_LIST then opens the URI", async () => {
    await client.connect("qemu:///system");
    const calls = daemon.last.received.map((p) => p.header.proc);
    expect(calls).toEqual([Proc.AUTH_LIST, Proc.CONNECT_OPEN]);
    const open = daemon.last.received[1]!;
    expect(open.body.toString("hex")).toBe(new XdrWriter().uint(1).string("qemu:///system").uint(0).toBuffer().toString("hex"));
    expect(client.connected).toBe(true);
  });

  it("falls back to the next socket path when nobody listens on the first", async () => {
    client = new LibvirtClient({ socketPath: ["/nonexistent/libvirt-sock", daemon.socketPath] });
    await client.connect();
    expect(client.socketPath).toBe(daemon.socketPath);
  });

  it("matches overlapping calls by serial even when replies come back out of order", async () => {
    const held: Parameters<Parameters<FakeDaemon["on"]>[0]>[0][] = [];
    daemon.on((p, conn) => {
      if (p.header.proc !== Proc.CONNECT_GET_LIB_VERSION) return false;
      held.push(p);
      if (held.length === 3) {
        // Answer newest first; each reply carries a value derived from its serial.
        for (const h of [...held].reverse()) conn.reply(h, u64(BigInt(h.header.serial) * 1_000_000n));
      }
      return true;
    });
    await client.connect();
    const [a, b, c] = await Promise.all([connectGetLibVersion(client), connectGetLibVersion(client), connectGetLibVersion(client)]);
    const serials = held.map((h) => h.header.serial);
    expect([a.major, b.major, c.major]).toEqual(serials);
    expect(new Set(serials).size).toBe(3);
  });

  it("surfaces error replies as LibvirtError with libvirt's code and message", async () => {
    daemon.on((p, conn) => {
      if (p.header.proc !== Proc.DOMAIN_SUSPEND) return false;
      conn.reply(p, Buffer.from(SUSPEND_ERROR_BODY, "hex"), MessageStatus.ERROR);
      return true;
    });
    await client.connect();
    const err = await domainSuspend(client, DOM).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LibvirtError);
    expect((err as LibvirtError).code).toBe(ErrorCode.OPERATION_INVALID);
    expect((err as LibvirtError).message).toBe("Requested operation is not valid: domain is not running");
    // The connection stays usable after an error reply.
    daemon.on((p, conn) => p.header.proc === Proc.CONNECT_GET_LIB_VERSION && (conn.reply(p, u64(9000000n)), true));
    expect((await connectGetLibVersion(client)).major).toBe(9);
  });

  it("times out a call that gets no reply, and ignores the late reply", async () => {
    let late: (() => void) | null = null;
    daemon.on((p, conn) => {
      if (p.header.proc !== Proc.NODE_GET_INFO) return false;
      late = () => conn.reply(p, Buffer.alloc(4));
      return true;
    });
    await client.connect();
    const err = await nodeGetInfo(client, { timeoutMs: 50 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CallTimeoutError);
    const errors: Error[] = [];
    client.on("error", (e) => errors.push(e));
    late!();
    await tick();
    expect(errors).toEqual([]);
    expect(client.connected).toBe(true);
  });

  it("rejects calls in flight and emits close when the daemon goes away", async () => {
    daemon.on((p, conn) => {
      if (p.header.proc !== Proc.NODE_GET_INFO) return false;
      conn.socket.destroy();
      return true;
    });
    await client.connect();
    const closed = new Promise<Error | null>((r) => client.once("close", r));
    const err = await nodeGetInfo(client).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionClosedError);
    expect(await closed).toBeInstanceOf(ConnectionClosedError);
    expect(client.connected).toBe(false);
    await expect(connectGetLibVersion(client)).rejects.toBeInstanceOf(ConnectionClosedError);
  });

  it("drops the connection on an oversized frame", async () => {
    await client.connect();
    const closed = new Promise<Error | null>((r) => client.once("close", r));
    const head = Buffer.alloc(4);
    head.writeUInt32BE(64 * 1024 * 1024, 0);
    daemon.last.socket.write(head);
    expect(await closed).toBeInstanceOf(ProtocolError);
  });

  it("close() sends CONNECT_CLOSE and reports a clean close", async () => {
    await client.connect();
    const closed = new Promise<Error | null>((r) => client.once("close", r));
    await client.close();
    expect(await closed).toBeNull();
    expect(daemon.last.received.at(-1)?.header.proc).toBe(Proc.CONNECT_CLOSE);
  });
});

describe("LibvirtClient events and keepalive", () => {
  it("registers a callback and emits decoded lifecycle events", async () => {
    daemon.on((p, conn) => {
      if (p.header.proc !== Proc.CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY) return false;
      conn.reply(p, new XdrWriter().int(7).toBuffer());
      // Events may be sent in the same chunk as replies; split one across two writes.
      const ev = conn.frame({ proc: Proc.DOMAIN_EVENT_CALLBACK_LIFECYCLE, serial: 1, type: MessageType.MESSAGE }, Buffer.from(LIFECYCLE_BODY, "hex"));
      conn.socket.write(ev.subarray(0, 30));
      setTimeout(() => conn.socket.write(ev.subarray(30)), 10);
      return true;
    });
    await client.connect();
    const got = new Promise<LifecycleEventPayload>((r) => client.once("lifecycle", r));
    const all = new Promise((r) => client.once("domain-event", r));
    expect(await client.registerDomainEvent(0)).toBe(7);
    const registered = daemon.last.received.at(-1)!;
    expect(registered.body.toString("hex")).toBe("0000000000000000"); // eventID 0, no domain filter
    const ev = await got;
    expect(ev).toMatchObject({ callbackId: 7, event: 4, detail: 0, dom: { name: "hangar-cap-5f5rit", id: 5 } });
    expect(await all).toBe(ev);
  });

  it("uses polkit when the daemon asks for it, and refuses SASL-only daemons", async () => {
    let list = "0000000100000002"; // [POLKIT]
    daemon.on((p, conn) => {
      if (p.header.proc === Proc.AUTH_LIST) return (conn.reply(p, Buffer.from(list, "hex")), true);
      if (p.header.proc === Proc.AUTH_POLKIT) return (conn.reply(p, new XdrWriter().int(1).toBuffer()), true);
      return false;
    });
    await client.connect();
    expect(daemon.last.received.map((p) => p.header.proc)).toEqual([Proc.AUTH_LIST, Proc.AUTH_POLKIT, Proc.CONNECT_OPEN]);

    list = "0000000100000001"; // [SASL]
    const other = new LibvirtClient({ socketPath: daemon.socketPath });
    const err = await other.connect().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LibvirtError);
    expect((err as LibvirtError).code).toBe(ErrorCode.AUTH_FAILED);
    expect(other.connected).toBe(false);
  });

  it("pings a silent daemon and drops the connection when it stays silent", async () => {
    daemon.on((p, conn) => {
      if (p.header.proc !== Proc.CONNECT_SUPPORTS_FEATURE) return false;
      expect(p.body.readInt32BE(0)).toBe(12); // VIR_DRV_FEATURE_PROGRAM_KEEPALIVE
      conn.reply(p, new XdrWriter().int(1).toBuffer());
      return true;
    });
    client = new LibvirtClient({ socketPath: daemon.socketPath, keepalive: { intervalMs: 30, count: 3 } });
    const closed = new Promise<Error | null>((r) => client.once("close", r));
    await client.connect();
    const err = await closed;
    expect(err?.message).toMatch(/keepalive/);
    const pings = daemon.last.received.filter((p) => p.header.prog === KEEPALIVE_PROGRAM && p.header.proc === KeepaliveProc.PING);
    expect(pings.length).toBeGreaterThanOrEqual(1);
  });

  it("answers a keepalive PING with a PONG", async () => {
    await client.connect();
    daemon.last.send({ prog: KEEPALIVE_PROGRAM, proc: KeepaliveProc.PING, serial: 0, type: MessageType.MESSAGE });
    await tick(50);
    const pong = daemon.last.received.at(-1)!;
    expect(pong.header).toMatchObject({ prog: KEEPALIVE_PROGRAM, proc: KeepaliveProc.PONG, type: MessageType.MESSAGE });
  });
});

describe("console streams", () => {
  it("delivers data sent before and after the reply, writes on the call's serial, and closes", async () => {
    let serial = 0;
    daemon.on((p, conn) => {
      if (p.header.type === MessageType.CALL && p.header.proc === Proc.DOMAIN_OPEN_CONSOLE) {
        serial = p.header.serial;
        // libvirt may send stream data before the call's reply.
        conn.send({ proc: p.header.proc, serial, type: MessageType.STREAM, status: MessageStatus.CONTINUE }, Buffer.from("boot: "));
        conn.reply(p);
        conn.send({ proc: p.header.proc, serial, type: MessageType.STREAM, status: MessageStatus.CONTINUE }, Buffer.from("ok\r\n"));
        return true;
      }
      if (p.header.type === MessageType.STREAM && p.header.status === MessageStatus.ERROR) {
        conn.send({ proc: p.header.proc, serial: p.header.serial, type: MessageType.STREAM, status: MessageStatus.OK });
        return true;
      }
      return false;
    });
    await client.connect();
    const con = await domainOpenConsole(client, DOM, "serial0", 2);
    const open = daemon.last.received.find((p) => p.header.proc === Proc.DOMAIN_OPEN_CONSOLE)!;
    expect(open.body.subarray(-20).toString("hex")).toBe(new XdrWriter().uint(1).string("serial0").uint(2).toBuffer().subarray(-20).toString("hex"));
    let text = "";
    con.on("data", (d: Buffer) => (text += d.toString()));
    await tick();
    expect(text).toBe("boot: ok\r\n");

    con.write("ls\n");
    await tick();
    const sent = daemon.last.received.filter((p) => p.header.type === MessageType.STREAM);
    expect(sent.map((p) => [p.header.serial, p.header.status, p.body.toString()])).toEqual([[serial, MessageStatus.CONTINUE, "ls\n"]]);

    await con.close();
    const abort = daemon.last.received.at(-1)!;
    expect(abort.header).toMatchObject({ type: MessageType.STREAM, status: MessageStatus.ERROR, serial });
    expect(con.destroyed).toBe(true);
  });

  it("treats an empty data packet as end-of-data and confirms it", async () => {
    daemon.on((p, conn) => {
      if (p.header.type !== MessageType.CALL || p.header.proc !== Proc.DOMAIN_OPEN_CONSOLE) return false;
      conn.reply(p);
      conn.send({ proc: p.header.proc, serial: p.header.serial, type: MessageType.STREAM, status: MessageStatus.CONTINUE }, Buffer.from("bye"));
      conn.send({ proc: p.header.proc, serial: p.header.serial, type: MessageType.STREAM, status: MessageStatus.CONTINUE });
      return true;
    });
    await client.connect();
    const con = await domainOpenConsole(client, DOM);
    const chunks: string[] = [];
    con.on("data", (d: Buffer) => chunks.push(d.toString()));
    await new Promise((r) => con.once("end", r));
    expect(chunks).toEqual(["bye"]);
    await tick();
    const finish = daemon.last.received.at(-1)!;
    expect(finish.header).toMatchObject({ type: MessageType.STREAM, status: MessageStatus.OK });
  });

  it("stops reading the socket while a consumer lags, and loses nothing", async () => {
    const piece = Buffer.alloc(16 * 1024, 0x61);
    const pieces = 64; // 1 MiB against a 32 KiB high-water mark
    daemon.on((p, conn) => {
      if (p.header.type !== MessageType.CALL || p.header.proc !== Proc.DOMAIN_OPEN_CONSOLE) return false;
      conn.reply(p);
      for (let i = 0; i < pieces; i++)
        conn.send({ proc: p.header.proc, serial: p.header.serial, type: MessageType.STREAM, status: MessageStatus.CONTINUE }, piece);
      return true;
    });
    await client.connect();
    const con = await domainOpenConsole(client, DOM, null, 0, { highWaterMark: 32 * 1024 });
    await tick(100);
    // Nobody reads yet: the stream holds at most about one socket chunk past the mark.
    expect(con.readableLength).toBeLessThan(32 * 1024 + 256 * 1024);
    expect(con.readableLength).toBeLessThan(pieces * piece.length);
    let total = 0;
    con.on("data", (d: Buffer) => (total += d.length));
    for (let i = 0; i < 100 && total < pieces * piece.length; i++) await tick(10);
    expect(total).toBe(pieces * piece.length);
  });

  it("fails the stream with the daemon's error", async () => {
    daemon.on((p, conn) => {
      if (p.header.type !== MessageType.CALL || p.header.proc !== Proc.DOMAIN_OPEN_CONSOLE) return false;
      conn.reply(p);
      conn.send(
        { proc: p.header.proc, serial: p.header.serial, type: MessageType.STREAM, status: MessageStatus.ERROR },
        Buffer.from(SUSPEND_ERROR_BODY, "hex"),
      );
      return true;
    });
    await client.connect();
    const con = await domainOpenConsole(client, DOM);
    const err = await new Promise<Error>((r) => con.once("error", r));
    expect(err).toBeInstanceOf(LibvirtError);
    expect((err as LibvirtError).code).toBe(ErrorCode.OPERATION_INVALID);
  });

  it("splits large writes into packets libvirt accepts", async () => {
    daemon.on((p, conn) => {
      if (p.header.type !== MessageType.CALL || p.header.proc !== Proc.DOMAIN_OPEN_CONSOLE) return false;
      conn.reply(p);
      return true;
    });
    await client.connect();
    const con = await domainOpenConsole(client, DOM);
    const data = Buffer.alloc(600_000);
    for (let i = 0; i < data.length; i++) data[i] = i % 251;
    await new Promise<void>((resolve, reject) => con.write(data, (err) => (err ? reject(err) : resolve())));
    await tick(50);
    const sent = daemon.last.received.filter((p) => p.header.type === MessageType.STREAM);
    expect(sent.length).toBe(3);
    expect(Math.max(...sent.map((p) => p.body.length))).toBeLessThanOrEqual(STREAM_CHUNK_BYTES);
    expect(Buffer.concat(sent.map((p) => p.body)).equals(data)).toBe(true);
  });

  it("does not crash the process when a stream fails with nobody listening for errors", async () => {
    daemon.on((p, conn) => {
      if (p.header.type !== MessageType.CALL || p.header.proc !== Proc.DOMAIN_OPEN_CONSOLE) return false;
      conn.reply(p);
      setTimeout(() => conn.socket.destroy(), 20);
      return true;
    });
    await client.connect();
    const con = await domainOpenConsole(client, DOM);
    await new Promise((r) => con.once("close", r));
    expect(con.failure).toBeInstanceOf(ConnectionClosedError);
  });

  it("rejects the open call, without a stream, when the daemon refuses the console", async () => {
    daemon.on((p, conn) => {
      if (p.header.type !== MessageType.CALL || p.header.proc !== Proc.DOMAIN_OPEN_CONSOLE) return false;
      conn.reply(p, Buffer.from(SUSPEND_ERROR_BODY, "hex"), MessageStatus.ERROR);
      return true;
    });
    await client.connect();
    await expect(domainOpenConsole(client, DOM)).rejects.toBeInstanceOf(LibvirtError);
    // The connection is still fine.
    daemon.on((p, conn) => p.header.proc === Proc.CONNECT_GET_LIB_VERSION && (conn.reply(p, u64(9000000n)), true));
    expect((await connectGetLibVersion(client)).major).toBe(9);
  });
});
