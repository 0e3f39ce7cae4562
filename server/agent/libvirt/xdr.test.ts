import { describe, expect, it } from "vitest";
import { XdrError, XdrReader, XdrWriter } from "./xdr";

const hex = (w: XdrWriter) => w.toBuffer().toString("hex");

describe("XDR encoding", () => {
  it("encodes integers big-endian in 4 and 8 bytes", () => {
    expect(hex(new XdrWriter().int(-2))).toBe("fffffffe");
    expect(hex(new XdrWriter().uint(0xdeadbeef))).toBe("deadbeef");
    expect(hex(new XdrWriter().hyper(-1n))).toBe("ffffffffffffffff");
    expect(hex(new XdrWriter().uhyper(18446744073709551615n))).toBe("ffffffffffffffff");
    expect(hex(new XdrWriter().bool(true).bool(false))).toBe("0000000100000000");
  });

  it("pads strings and opaques to 4 bytes with zeros", () => {
    expect(hex(new XdrWriter().string("abc"))).toBe("0000000361626300");
    expect(hex(new XdrWriter().string("abcd"))).toBe("0000000461626364");
    expect(hex(new XdrWriter().string(""))).toBe("00000000");
    expect(hex(new XdrWriter().opaque(Buffer.from([1, 2, 3, 4, 5])))).toBe("000000050102030405000000");
    expect(hex(new XdrWriter().fixedOpaque(Buffer.from([9, 8]), 2))).toBe("09080000");
  });

  it("encodes optionals as a presence flag and arrays with a count", () => {
    expect(hex(new XdrWriter().optional<string>(null, (w, v) => w.string(v)))).toBe("00000000");
    expect(hex(new XdrWriter().optional("x", (w, v) => w.string(v)))).toBe("000000010000000178000000");
    expect(hex(new XdrWriter().array([1, 2], (w, v) => w.int(v)))).toBe("000000020000000100000002");
  });

  it("rejects values that do not fit", () => {
    expect(() => new XdrWriter().int(2 ** 31)).toThrow(XdrError);
    expect(() => new XdrWriter().uint(-1)).toThrow(XdrError);
    expect(() => new XdrWriter().uint(1.5)).toThrow(XdrError);
    expect(() => new XdrWriter().hyper(2n ** 63n)).toThrow(XdrError);
    expect(() => new XdrWriter().uhyper(-1n)).toThrow(XdrError);
    expect(() => new XdrWriter().fixedOpaque(Buffer.alloc(3), 16)).toThrow(XdrError);
    expect(() => new XdrWriter().string("toolong", 3)).toThrow(XdrError);
    expect(() => new XdrWriter().array([1, 2, 3], (w, v) => w.int(v), 2)).toThrow(XdrError);
  });

  it("grows its buffer across many writes", () => {
    const w = new XdrWriter(4);
    for (let i = 0; i < 1000; i++) w.uint(i);
    const r = new XdrReader(w.toBuffer());
    for (let i = 0; i < 1000; i++) expect(r.uint()).toBe(i);
    expect(r.remaining).toBe(0);
  });
});

describe("XDR round trips", () => {
  it("reads back every type it writes", () => {
    const uuid = Buffer.from("6e1b0c572f6a4a529d3f1c2b3a4d5e6f", "hex");
    const w = new XdrWriter()
      .int(-123456)
      .uint(4000000000)
      .hyper(-9007199254740993n)
      .uhyper(18446744073709551615n)
      .double(-0.125)
      .bool(true)
      .string("héllo wörld ✓")
      .opaque(Buffer.from([0, 255, 7]))
      .fixedOpaque(uuid, 16)
      .optional<number>(null, (x, v) => x.int(v))
      .optional(42, (x, v) => x.int(v))
      .array(["a", "bb", "ccc"], (x, v) => x.string(v));
    const r = new XdrReader(w.toBuffer());
    expect(r.int()).toBe(-123456);
    expect(r.uint()).toBe(4000000000);
    expect(r.hyper()).toBe(-9007199254740993n);
    expect(r.uhyper()).toBe(18446744073709551615n);
    expect(r.double()).toBe(-0.125);
    expect(r.bool()).toBe(true);
    expect(r.string()).toBe("héllo wörld ✓");
    expect([...r.opaque()]).toEqual([0, 255, 7]);
    expect(r.fixedOpaque(16).equals(uuid)).toBe(true);
    expect(r.optional((x) => x.int())).toBeNull();
    expect(r.optional((x) => x.int())).toBe(42);
    expect(r.array((x) => x.string())).toEqual(["a", "bb", "ccc"]);
    expect(r.remaining).toBe(0);
  });
});

describe("XDR decoding of bad input", () => {
  it("fails on truncated data instead of reading past the end", () => {
    expect(() => new XdrReader(Buffer.from("000000", "hex")).int()).toThrow(/truncated/);
    expect(() => new XdrReader(Buffer.from("0000000561626364", "hex")).string()).toThrow(/truncated/);
    expect(() => new XdrReader(Buffer.from("00000000000000", "hex")).hyper()).toThrow(/truncated/);
  });

  it("rejects lengths above the limit before allocating", () => {
    // 4 MiB + 1: libvirt's REMOTE_STRING_MAX is 4 MiB.
    expect(() => new XdrReader(Buffer.from("00400001", "hex")).string()).toThrow(/exceeds/);
    expect(() => new XdrReader(Buffer.from("0000000a", "hex")).opaque(8)).toThrow(/exceeds/);
  });

  it("rejects an array count larger than the bytes left", () => {
    const r = new XdrReader(Buffer.from("7fffffff00000001", "hex"));
    expect(() => r.array((x) => x.int())).toThrow(XdrError);
  });

  it("rejects malformed booleans and optional flags", () => {
    expect(() => new XdrReader(Buffer.from("00000002", "hex")).bool()).toThrow(/bool/);
    expect(() => new XdrReader(Buffer.from("00000002", "hex")).optional((x) => x.int())).toThrow(/optional/);
  });
});
