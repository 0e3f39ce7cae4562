import { describe, expect, it } from "vitest";
import { decodePacket, encodeCall, encodePacket, FrameSplitter, MessageStatus, MessageType, ProtocolError, REMOTE_PROGRAM } from "./packet";
import { Proc } from "./procedures";

// Recorded from libvirt 9.0: the reply to AUTH_LIST (one auth type: NONE) and to CONNECT_OPEN.
const AUTH_LIST_REPLY = "000000242000808600000001000000420000000100000001000000000000000100000000";
const CONNECT_OPEN_REPLY = "0000001c200080860000000100000001000000010000000200000000";

describe("packet header", () => {
  it("decodes a recorded reply", () => {
    const p = decodePacket(Buffer.from(AUTH_LIST_REPLY, "hex"));
    expect(p.header).toEqual({ prog: REMOTE_PROGRAM, vers: 1, proc: Proc.AUTH_LIST, type: MessageType.REPLY, serial: 1, status: MessageStatus.OK });
    expect(p.body.toString("hex")).toBe("0000000100000000");
  });

  it("encodes a call the way libvirt expects", () => {
    // CONNECT_OPEN("qemu:///system", flags 0), serial 2.
    const frame = encodeCall(REMOTE_PROGRAM, Proc.CONNECT_OPEN, 2, (w) => w.optional("qemu:///system", (x, v) => x.string(v)).uint(0));
    expect(frame.toString("hex")).toBe(
      "00000038" +
        "20008086" +
        "00000001" +
        "00000001" +
        "00000000" +
        "00000002" +
        "00000000" +
        "00000001" +
        "0000000e" +
        Buffer.from("qemu:///system").toString("hex") +
        "0000" +
        "00000000",
    );
    const back = decodePacket(frame);
    expect(back.header.type).toBe(MessageType.CALL);
    expect(back.body.length).toBe(frame.length - 28);
  });

  it("rejects a frame whose length word disagrees with its size", () => {
    const bad = Buffer.from(CONNECT_OPEN_REPLY, "hex");
    bad.writeUInt32BE(100, 0);
    expect(() => decodePacket(bad)).toThrow(ProtocolError);
  });
});

describe("FrameSplitter", () => {
  const stream = Buffer.concat([Buffer.from(AUTH_LIST_REPLY, "hex"), Buffer.from(CONNECT_OPEN_REPLY, "hex")]);

  it("returns several frames from one chunk", () => {
    const frames = new FrameSplitter().push(stream);
    expect(frames.map((f) => f.toString("hex"))).toEqual([AUTH_LIST_REPLY, CONNECT_OPEN_REPLY]);
  });

  it("reassembles frames split at every possible boundary", () => {
    for (let cut = 1; cut < stream.length; cut++) {
      const s = new FrameSplitter();
      const got = [...s.push(stream.subarray(0, cut)), ...s.push(stream.subarray(cut))];
      expect(got.map((f) => f.toString("hex"))).toEqual([AUTH_LIST_REPLY, CONNECT_OPEN_REPLY]);
      expect(s.pending).toBe(0);
    }
  });

  it("reassembles frames fed one byte at a time (length word split too)", () => {
    const s = new FrameSplitter();
    const got: Buffer[] = [];
    for (const byte of stream) got.push(...s.push(Buffer.from([byte])));
    expect(got.map((f) => f.toString("hex"))).toEqual([AUTH_LIST_REPLY, CONNECT_OPEN_REPLY]);
  });

  it("reassembles a large frame from many chunks", () => {
    const body = Buffer.alloc(1_000_000, 7);
    const frame = encodePacket({ prog: REMOTE_PROGRAM, vers: 1, proc: 1, type: MessageType.STREAM, serial: 9, status: MessageStatus.CONTINUE }, body);
    const s = new FrameSplitter();
    const got: Buffer[] = [];
    for (let i = 0; i < frame.length; i += 65536) got.push(...s.push(frame.subarray(i, i + 65536)));
    expect(got).toHaveLength(1);
    expect(decodePacket(got[0]!).body.equals(body)).toBe(true);
  });

  it("rejects a frame above the limit from its length word alone", () => {
    const s = new FrameSplitter(16 * 1024 * 1024);
    const head = Buffer.alloc(4);
    head.writeUInt32BE(16 * 1024 * 1024 + 1, 0);
    expect(() => s.push(head)).toThrow(/exceeds the 16777216-byte limit/);
    // The stream is unusable afterwards: later data must not be parsed as frames.
    expect(() => s.push(Buffer.from(CONNECT_OPEN_REPLY, "hex"))).toThrow(ProtocolError);
  });

  it("uses libvirt's 32 MiB message limit by default", () => {
    const head = Buffer.alloc(4);
    head.writeUInt32BE(32 * 1024 * 1024, 0);
    expect(new FrameSplitter().push(head)).toEqual([]);
    head.writeUInt32BE(32 * 1024 * 1024 + 1, 0);
    expect(() => new FrameSplitter().push(head)).toThrow(ProtocolError);
  });

  it("rejects a length shorter than a header", () => {
    expect(() => new FrameSplitter().push(Buffer.from("0000000c00000000", "hex"))).toThrow(/shorter/);
  });
});
