// Decoding of recorded libvirt 9.0 frames (captured from the daemon on the lab machine).
import { describe, expect, it } from "vitest";
import { decodeError } from "./errors";
import { decodeDomainEvent } from "./events";
import { decodePacket, MessageStatus, MessageType } from "./packet";
import { DomainStatsTypes, ErrorCode, LifecycleEvent, Proc, TypedParamType } from "./procedures";
import { readDomain, readTypedParam, typedParamsToRecord, writeTypedParam, type TypedParam } from "./wire-types";
import { XdrError, XdrReader, XdrWriter } from "./xdr";

const packet = (h: string) => decodePacket(Buffer.from(h, "hex"));

// DOMAIN_SUSPEND on a shut-off domain → REPLY, status ERROR, remote_error body.
const SUSPEND_ERROR_REPLY =
  "000000c820008086000000010000002200000001000000050000000100000037000000140000000100000037526571756573746564206f7065726174696f6e206973206e6f742076616c69643a20646f6d61696e206973206e6f742072756e6e696e670000000002000000000000000100000024526571756573746564206f7065726174696f6e206973206e6f742076616c69643a2025730000000100000015646f6d61696e206973206e6f742072756e6e696e6700000000000000ffffffffffffffff00000000";

// DOMAIN_EVENT_CALLBACK_LIFECYCLE MESSAGE: callbackID 7, domain "hangar-cap-5f5rit" (id 5), RESUMED/UNPAUSED.
const LIFECYCLE_STOPPED_EVENT =
  "0000005420008086000000010000013e000000020000000100000000000000070000001168616e6761722d6361702d3566357269740000006e1b0c572f6a4a529d3f1c2b3a4d5e6f000000050000000400000000";

// CONNECT_GET_ALL_DOMAIN_STATS reply, groups STATE | CPU_TOTAL | BALLOON, one running domain.
const STATS_REPLY =
  "000001bc200080860000000100000158000000010000000500000000000000010000000968616e6761722d66780000006e1b0c572f6a4a529d3f1c2b3a4d5e6f000000060000000c0000000b73746174652e73746174650000000001000000010000000c73746174652e726561736f6e0000000100000001000000086370752e74696d65000000040000000012baff88000000086370752e757365720000000400000000047e9e980000000a6370752e73797374656d000000000004000000000e3c60f0000000176370752e63616368652e6d6f6e69746f722e636f756e74000000000200000000000000196370752e68616c74706f6c6c2e737563636573732e74696d65000000000000040000000000000000000000166370752e68616c74706f6c6c2e6661696c2e74696d6500000000000400000000000000000000000f62616c6c6f6f6e2e63757272656e74000000000400000000000080000000000f62616c6c6f6f6e2e6d6178696d756d000000000400000000000080000000001362616c6c6f6f6e2e6c6173742d757064617465000000000400000000000000000000000b62616c6c6f6f6e2e727373000000000400000000000089f0";

// DOMAIN_GET_INFO reply: running, 32 MiB, 1 vCPU.
const GET_INFO_REPLY = "0000003c20008086000000010000001000000001000000060000000000000001000000000000800000000000000080000000000100000000127a3980";

// DOMAIN_DEFINE_XML_FLAGS reply: the new (inactive, id -1) domain.
const DEFINE_REPLY =
  "0000004020008086000000010000015e0000000100000003000000000000000968616e6761722d66780000006e1b0c572f6a4a529d3f1c2b3a4d5e6fffffffff";

describe("remote_error", () => {
  it("decodes an error reply into a LibvirtError with code, domain and message", () => {
    const p = packet(SUSPEND_ERROR_REPLY);
    expect(p.header.status).toBe(MessageStatus.ERROR);
    const err = decodeError(p.body, Proc.DOMAIN_SUSPEND);
    expect(err.code).toBe(ErrorCode.OPERATION_INVALID);
    expect(err.isOperationInvalid).toBe(true);
    expect(err.domain).toBe(20); // VIR_FROM_DOMAIN
    expect(err.message).toBe("Requested operation is not valid: domain is not running");
    expect(err.proc).toBe(Proc.DOMAIN_SUSPEND);
    expect(err.details?.str1).toBe("Requested operation is not valid: %s");
    expect(err.details?.str2).toBe("domain is not running");
    expect(err.details?.int1).toBe(-1);
  });

  it("keeps code and message when the optional trailing fields are missing", () => {
    const w = new XdrWriter()
      .int(42)
      .int(10)
      .optional("Domain not found", (x, v) => x.string(v))
      .int(2);
    const err = decodeError(w.toBuffer(), null);
    expect(err.code).toBe(ErrorCode.NO_DOMAIN);
    expect(err.isNoDomain).toBe(true);
    expect(err.message).toBe("Domain not found");
  });

  it("reports an undecodable error body as an RPC error, not a crash", () => {
    const err = decodeError(Buffer.from("0000", "hex"), 7);
    expect(err.code).toBe(ErrorCode.RPC);
    expect(err.message).toMatch(/undecodable/);
  });
});

describe("domain events", () => {
  it("decodes a recorded lifecycle event", () => {
    const p = packet(LIFECYCLE_STOPPED_EVENT);
    expect(p.header.type).toBe(MessageType.MESSAGE);
    expect(decodeDomainEvent(p.header.proc, p.body)).toEqual({
      kind: "lifecycle",
      callbackId: 7,
      dom: { name: "hangar-cap-5f5rit", uuid: "6e1b0c57-2f6a-4a52-9d3f-1c2b3a4d5e6f", id: 5 },
      event: LifecycleEvent.RESUMED,
      detail: 0,
    });
  });

  it("decodes device, agent, reboot, metadata and balloon events built to the protocol", () => {
    const dom = (w: XdrWriter) => w.string("vm1").fixedOpaque(Buffer.alloc(16, 0xab), 16).int(3);
    const body = (f: (w: XdrWriter) => void) => {
      const w = new XdrWriter().int(5);
      dom(w);
      f(w);
      return w.toBuffer();
    };
    const uuid = "abababab-abab-abab-abab-abababababab";
    expect(
      decodeDomainEvent(
        Proc.DOMAIN_EVENT_CALLBACK_DEVICE_ADDED,
        body((w) => w.string("net1")),
      ),
    ).toMatchObject({ kind: "device-added", devAlias: "net1", dom: { uuid } });
    expect(
      decodeDomainEvent(
        Proc.DOMAIN_EVENT_CALLBACK_DEVICE_REMOVED,
        body((w) => w.string("ua-disk")),
      ),
    ).toMatchObject({ kind: "device-removed", devAlias: "ua-disk" });
    expect(
      decodeDomainEvent(
        Proc.DOMAIN_EVENT_CALLBACK_AGENT_LIFECYCLE,
        body((w) => w.int(1).int(2)),
      ),
    ).toMatchObject({ kind: "agent-lifecycle", state: 1, reason: 2, callbackId: 5 });
    expect(
      decodeDomainEvent(
        Proc.DOMAIN_EVENT_CALLBACK_REBOOT,
        body(() => undefined),
      ),
    ).toMatchObject({ kind: "reboot", dom: { name: "vm1", id: 3 } });
    expect(
      decodeDomainEvent(
        Proc.DOMAIN_EVENT_CALLBACK_METADATA_CHANGE,
        body((w) => w.int(2).optional("urn:x", (x, v) => x.string(v))),
      ),
    ).toMatchObject({
      kind: "metadata-change",
      type: 2,
      nsuri: "urn:x",
    });
    expect(
      decodeDomainEvent(
        Proc.DOMAIN_EVENT_CALLBACK_BALLOON_CHANGE,
        body((w) => w.uhyper(49152n)),
      ),
    ).toMatchObject({ kind: "balloon-change", actualKiB: 49152n, dom: { uuid } });
  });

  it("hands back unknown events raw", () => {
    const ev = decodeDomainEvent(9999, Buffer.from("00000001", "hex"));
    expect(ev).toEqual({ kind: "unknown", proc: 9999, body: Buffer.from("00000001", "hex") });
  });

  it("fails loudly on a truncated event", () => {
    const p = packet(LIFECYCLE_STOPPED_EVENT);
    expect(() => decodeDomainEvent(p.header.proc, p.body.subarray(0, 20))).toThrow(XdrError);
  });
});

describe("typed parameters", () => {
  it("decodes a recorded bulk stats reply with 64-bit values as bigint", () => {
    const r = new XdrReader(packet(STATS_REPLY).body);
    const records = r.array((x) => ({ dom: readDomain(x), params: x.array(readTypedParam) }));
    expect(r.remaining).toBe(0);
    expect(records).toHaveLength(1);
    const rec = records[0]!;
    expect(rec.dom).toEqual({ name: "hangar-fx", uuid: "6e1b0c57-2f6a-4a52-9d3f-1c2b3a4d5e6f", id: 6 });
    const stats = typedParamsToRecord(rec.params);
    expect(stats["state.state"]).toBe(1);
    expect(stats["cpu.time"]).toBe(314245000n);
    expect(stats["cpu.user"]).toBe(75407000n);
    expect(stats["balloon.current"]).toBe(32768n);
    expect(stats["cpu.cache.monitor.count"]).toBe(0);
    expect(rec.params.find((p) => p.field === "cpu.time")?.type).toBe(TypedParamType.ULLONG);
    expect(DomainStatsTypes.STATE | DomainStatsTypes.CPU_TOTAL | DomainStatsTypes.BALLOON).toBe(7);
  });

  it("round-trips every union arm", () => {
    const params: TypedParam[] = [
      { field: "i", type: TypedParamType.INT, value: -5 },
      { field: "u", type: TypedParamType.UINT, value: 4000000000 },
      { field: "ll", type: TypedParamType.LLONG, value: -(2n ** 62n) },
      { field: "ull", type: TypedParamType.ULLONG, value: 2n ** 64n - 1n },
      { field: "d", type: TypedParamType.DOUBLE, value: 3.5 },
      { field: "b", type: TypedParamType.BOOLEAN, value: true },
      { field: "s", type: TypedParamType.STRING, value: "vda" },
    ];
    const w = new XdrWriter().array(params, writeTypedParam);
    expect(new XdrReader(w.toBuffer()).array(readTypedParam)).toEqual(params);
  });

  it("rejects an unknown discriminant rather than guessing its size", () => {
    const w = new XdrWriter().string("x").int(99).int(0);
    expect(() => readTypedParam(new XdrReader(w.toBuffer()))).toThrow(/unknown typed parameter type 99/);
  });
});

describe("other recorded replies", () => {
  it("decodes DOMAIN_GET_INFO's u_char/u_short fields as 4-byte ints", () => {
    const r = new XdrReader(packet(GET_INFO_REPLY).body);
    expect({ state: r.uint(), maxMem: r.uhyper(), memory: r.uhyper(), nrVirtCpu: r.uint(), cpuTime: r.uhyper() }).toEqual({
      state: 1,
      maxMem: 32768n,
      memory: 32768n,
      nrVirtCpu: 1,
      cpuTime: 310000000n,
    });
  });

  it("decodes an inactive domain's id as -1 and its UUID with dashes", () => {
    expect(readDomain(new XdrReader(packet(DEFINE_REPLY).body))).toEqual({ name: "hangar-fx", uuid: "6e1b0c57-2f6a-4a52-9d3f-1c2b3a4d5e6f", id: -1 });
  });
});
