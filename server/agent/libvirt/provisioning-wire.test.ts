// XDR of the provisioning structures (pools, volumes, networks, snapshots, DHCP leases)
// and the upload stream's packet sequence. Replies are frames recorded from libvirt 9.0
// on the lab machine (pool hangar-h8-cap in /tmp/h8-capture/p, 2026-12-02).
import { Readable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LibvirtClient } from "./client";
import { LibvirtError } from "./errors";
import { readDhcpLease } from "./network-api";
import { decodePacket, MessageStatus, MessageType, STREAM_CHUNK_BYTES } from "./packet";
import { ErrorCode, Proc, StoragePoolState, StorageVolType } from "./procedures";
import { domainSnapshotGetParent } from "./snapshot-api";
import { FakeDaemon } from "./testing/fake-daemon";
import { storageVolUpload, storageVolUploadFrom } from "./volume-api";
import { readNetwork, readPool, readSnapshot, readVol, writePool, writeSnapshot, writeVol, type VolumeRef } from "./wire-types";
import { XdrReader, XdrWriter } from "./xdr";

const body = (frameHex: string) => decodePacket(Buffer.from(frameHex, "hex")).body;
const hex = (w: XdrWriter) => w.toBuffer().toString("hex");
/** A writer after `fill` wrote into it. */
const enc = (fill: (w: XdrWriter) => void): XdrWriter => {
  const w = new XdrWriter();
  fill(w);
  return w;
};

// STORAGE_POOL_GET_INFO reply: RUNNING, capacity/allocation/available in bytes.
const POOL_INFO_REPLY = "00000038200080860000000100000057000000010000000500000000000000020000003efe39d00000000005f23c0000000000390bfdd000";
// STORAGE_VOL_GET_INFO reply: FILE, 10 MiB capacity, 196 KiB allocated (fresh qcow2).
const VOL_INFO_REPLY = "00000030200080860000000100000062000000010000000700000000000000000000000000a000000000000000031000";
// STORAGE_POOL_LIST_ALL_VOLUMES reply: two volumes, then the count.
const LIST_VOLUMES_REPLY =
  "000000a020008086000000010000011a000000010000001800000000000000020000000d68616e6761722d68382d63617000000000000005622e726177000000000000172f746d702f68382d636170747572652f702f622e726177000000000d68616e6761722d68382d63617000000000000007612e71636f773200000000192f746d702f68382d636170747572652f702f612e71636f773200000000000002";
// DOMAIN_LIST_ALL_SNAPSHOTS reply: s1 and s2 of the inactive domain hangar-h8-cap.
const LIST_SNAPSHOTS_REPLY =
  "00000084200080860000000100000112000000010000000c000000000000000200000002733100000000000d68616e6761722d68382d6361700000006e1b0c572f6a4a529d3f1c2b3a4d5e70ffffffff00000002733200000000000d68616e6761722d68382d6361700000006e1b0c572f6a4a529d3f1c2b3a4d5e70ffffffff00000002";
// DOMAIN_SNAPSHOT_GET_PARENT of a root snapshot: REPLY with status ERROR, NO_DOMAIN_SNAPSHOT.
const NO_PARENT_REPLY =
  "000000d82000808600000001000000f4000000010000000e00000001000000480000000a000000010000003f446f6d61696e20736e617073686f74206e6f7420666f756e643a20736e617073686f74202773312720646f6573206e6f742068617665206120706172656e74000000000200000000000000010000001d446f6d61696e20736e617073686f74206e6f7420666f756e643a2025730000000000000100000024736e617073686f74202773312720646f6573206e6f742068617665206120706172656e7400000000ffffffffffffffff00000000";
// CONNECT_LIST_ALL_NETWORKS reply: "default" and hangar-h8-cap.
const LIST_NETWORKS_REPLY =
  "0000006420008086000000010000011b000000010000001000000000000000020000000764656661756c74009596c9415d2145ef80e83d366fbf1ebb0000000d68616e6761722d68382d6361700000006e1b0c572f6a4a529d3f1c2b3a4d5e7100000002";
// The STORAGE_VOL_UPLOAD call libvirt accepted: b.raw, offset 0, length 0, flags 0.
const UPLOAD_CALL =
  "0000006c2000808600000001000000d00000000000000017000000000000000d68616e6761722d68382d63617000000000000005622e726177000000000000172f746d702f68382d636170747572652f702f622e726177000000000000000000000000000000000000000000";

const CAP_DOM = { name: "hangar-h8-cap", uuid: "6e1b0c57-2f6a-4a52-9d3f-1c2b3a4d5e70", id: -1 };

describe("provisioning structures", () => {
  it("encodes pool, volume and snapshot references as remote_protocol.x lays them out", () => {
    // remote_nonnull_storage_pool: string name, 16-byte uuid.
    expect(hex(enc((w) => writePool(w, { name: "p", uuid: "00112233-4455-6677-8899-aabbccddeeff" })))).toBe(
      "000000017000000000112233445566778899aabbccddeeff",
    );
    // remote_nonnull_storage_vol: pool name, volume name, key (three strings).
    expect(hex(enc((w) => writeVol(w, { pool: "p", name: "ab", key: "/k" })))).toBe("00000001700000000000000261620000000000022f6b0000");
    // remote_nonnull_domain_snapshot: name, then the domain (name, uuid, id).
    expect(hex(enc((w) => writeSnapshot(w, { name: "s1", dom: { name: "d", uuid: "00112233-4455-6677-8899-aabbccddeeff", id: -1 } })))).toBe(
      "000000027331000000000001640000000011223344556677" + "8899aabbccddeeffffffffff",
    );
  });

  it("round-trips the references through reader and writer", () => {
    const vol: VolumeRef = { pool: "pool-é", name: "disk <1>.qcow2", key: "/var/lib/x/disk <1>.qcow2" };
    expect(readVol(new XdrReader(enc((w) => writeVol(w, vol)).toBuffer()))).toEqual(vol);
    const snap = { name: "before upgrade 🚀", dom: CAP_DOM };
    expect(readSnapshot(new XdrReader(enc((w) => writeSnapshot(w, snap)).toBuffer()))).toEqual(snap);
  });

  it("decodes recorded pool and volume info", () => {
    const p = new XdrReader(body(POOL_INFO_REPLY));
    expect({ state: p.uint(), capacity: p.uhyper(), allocation: p.uhyper(), available: p.uhyper() }).toEqual({
      state: StoragePoolState.RUNNING,
      capacity: 270553174016n,
      allocation: 25538854912n,
      available: 245014319104n,
    });
    const v = new XdrReader(body(VOL_INFO_REPLY));
    expect({ type: v.int(), capacity: v.uhyper(), allocation: v.uhyper() }).toEqual({
      type: StorageVolType.FILE,
      capacity: 10485760n,
      allocation: 200704n,
    });
  });

  it("decodes recorded volume, snapshot and network lists", () => {
    const vr = new XdrReader(body(LIST_VOLUMES_REPLY));
    expect(vr.array(readVol)).toEqual([
      { pool: "hangar-h8-cap", name: "b.raw", key: "/tmp/h8-capture/p/b.raw" },
      { pool: "hangar-h8-cap", name: "a.qcow2", key: "/tmp/h8-capture/p/a.qcow2" },
    ]);
    expect(vr.uint()).toBe(2);
    expect(vr.remaining).toBe(0);

    const sr = new XdrReader(body(LIST_SNAPSHOTS_REPLY));
    expect(sr.array(readSnapshot)).toEqual([
      { name: "s1", dom: CAP_DOM },
      { name: "s2", dom: CAP_DOM },
    ]);
    expect(sr.int()).toBe(2);

    const nr = new XdrReader(body(LIST_NETWORKS_REPLY));
    expect(nr.array(readNetwork)).toEqual([
      { name: "default", uuid: "9596c941-5d21-45ef-80e8-3d366fbf1ebb" },
      { name: "hangar-h8-cap", uuid: "6e1b0c57-2f6a-4a52-9d3f-1c2b3a4d5e71" },
    ]);
    expect(readPool).toBe(readNetwork); // same wire shape: name + uuid
  });

  it("decodes a DHCP lease with present and absent optional strings", () => {
    // remote_network_dhcp_lease, field by field as in remote_protocol.x.
    const w = new XdrWriter()
      .string("virbr7")
      .hyper(1_900_000_000n)
      .int(0)
      .optional("52:54:00:aa:bb:cc", (x, v) => x.string(v))
      .optional<string>(null, (x, v) => x.string(v))
      .string("10.213.7.15")
      .uint(24)
      .optional("guest-1", (x, v) => x.string(v))
      .optional("ff:00:01", (x, v) => x.string(v));
    const r = new XdrReader(w.toBuffer());
    expect(readDhcpLease(r)).toEqual({
      iface: "virbr7",
      expiryTime: 1_900_000_000n,
      type: 0,
      mac: "52:54:00:aa:bb:cc",
      iaid: null,
      ipaddr: "10.213.7.15",
      prefix: 24,
      hostname: "guest-1",
      clientid: "ff:00:01",
    });
    expect(r.remaining).toBe(0);
  });
});

describe("calls against a scripted daemon", () => {
  let daemon: FakeDaemon;
  let client: LibvirtClient;

  beforeEach(async () => {
    daemon = await FakeDaemon.start();
    client = new LibvirtClient({ socketPath: daemon.socketPath, callTimeoutMs: 2_000 });
    await client.connect();
  });

  afterEach(async () => {
    client.destroy();
    await daemon.stop();
  });

  it("turns the root snapshot's NO_DOMAIN_SNAPSHOT into null, other errors stay errors", async () => {
    let answer = body(NO_PARENT_REPLY);
    daemon.on((p, conn) => {
      if (p.header.proc !== Proc.DOMAIN_SNAPSHOT_GET_PARENT) return false;
      conn.reply(p, answer, MessageStatus.ERROR);
      return true;
    });
    expect(await domainSnapshotGetParent(client, { name: "s1", dom: CAP_DOM })).toBeNull();
    answer = new XdrWriter()
      .int(ErrorCode.NO_DOMAIN)
      .int(10)
      .optional("Domain not found", (x, v) => x.string(v))
      .int(2)
      .toBuffer();
    await expect(domainSnapshotGetParent(client, { name: "s1", dom: CAP_DOM })).rejects.toMatchObject({ code: ErrorCode.NO_DOMAIN });
  });

  /** Answers the upload call, then confirms our end-of-data the way libvirtd does. */
  function acceptUploads(onData?: (serial: number, conn: Parameters<Parameters<FakeDaemon["on"]>[0]>[1]) => void): void {
    daemon.on((p, conn) => {
      if (p.header.proc !== Proc.STORAGE_VOL_UPLOAD) return false;
      if (p.header.type === MessageType.CALL) conn.reply(p);
      else if (p.header.status === MessageStatus.OK)
        conn.send({ proc: p.header.proc, serial: p.header.serial, type: MessageType.STREAM, status: MessageStatus.OK });
      else if (p.header.status === MessageStatus.CONTINUE) onData?.(p.header.serial, conn);
      return true;
    });
  }

  const VOL = { pool: "hangar-h8-cap", name: "b.raw", key: "/tmp/h8-capture/p/b.raw" };

  it("sends the upload call libvirt accepted, the data in order, then end-of-data", async () => {
    acceptUploads();
    const sent = await storageVolUploadFrom(client, VOL, Readable.from([Buffer.from("hang"), Buffer.from("ar!!")]));
    expect(sent).toBe(8);
    const got = daemon.last.received.filter((p) => p.header.proc === Proc.STORAGE_VOL_UPLOAD);
    const call = got[0]!;
    // Same bytes as the recorded call except the serial, which differs per connection.
    expect(call.body.toString("hex")).toBe(body(UPLOAD_CALL).toString("hex"));
    const stream = got.slice(1);
    expect(stream.every((p) => p.header.type === MessageType.STREAM && p.header.serial === call.header.serial)).toBe(true);
    expect(Buffer.concat(stream.filter((p) => p.header.status === MessageStatus.CONTINUE).map((p) => p.body)).toString()).toBe("hangar!!");
    expect(stream[stream.length - 1]!.header.status).toBe(MessageStatus.OK);
  });

  it("encodes offset and length as 64-bit and splits big writes into stream-sized packets", async () => {
    acceptUploads();
    const big = Buffer.alloc(2 * STREAM_CHUNK_BYTES + 7, 0x61);
    const st = await storageVolUpload(client, VOL, 5n * 2n ** 32n, BigInt(big.length), 1);
    const done = new Promise((resolve) => st.once("end", resolve));
    st.resume();
    st.end(big);
    await done;
    const got = daemon.last.received.filter((p) => p.header.proc === Proc.STORAGE_VOL_UPLOAD);
    const args = new XdrReader(got[0]!.body);
    expect(readVol(args)).toEqual(VOL);
    expect([args.uhyper(), args.uhyper(), args.uint()]).toEqual([5n * 2n ** 32n, BigInt(big.length), 1]);
    const data = got.filter((p) => p.header.status === MessageStatus.CONTINUE);
    expect(data.map((p) => p.body.length)).toEqual([STREAM_CHUNK_BYTES, STREAM_CHUNK_BYTES, 7]);
  });

  it("rejects with libvirt's error when the daemon fails the upload midway", async () => {
    acceptUploads((serial, conn) => {
      const err = new XdrWriter()
        .int(ErrorCode.SYSTEM_ERROR)
        .int(18)
        .optional("cannot write: No space left on device", (x, v) => x.string(v))
        .int(2)
        .toBuffer();
      conn.send({ proc: Proc.STORAGE_VOL_UPLOAD, serial, type: MessageType.STREAM, status: MessageStatus.ERROR }, err);
    });
    const source = Readable.from(
      (function* () {
        for (let i = 0; i < 50; i++) yield Buffer.alloc(64 * 1024, i);
      })(),
    );
    const err = await storageVolUploadFrom(client, VOL, source).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LibvirtError);
    expect((err as LibvirtError).message).toMatch(/No space left/);
    // The connection survives for the next call.
    daemon.on((p, conn) =>
      p.header.proc === Proc.CONNECT_GET_LIB_VERSION ? (conn.reply(p, new XdrWriter().uhyper(9000000n).toBuffer()), true) : false,
    );
    expect(await client.call(Proc.CONNECT_GET_LIB_VERSION, undefined, (r) => r.uhyper())).toBe(9000000n);
  });

  it("routes pool and network events to their own names, not to domain-event", async () => {
    const seen: string[] = [];
    client.on("domain-event", () => seen.push("domain-event"));
    client.on("unknown-event", () => seen.push("unknown-event"));
    const pool = new Promise((r) => client.once("pool-lifecycle", r));
    const refresh = new Promise((r) => client.once("pool-refresh", r));
    const net = new Promise((r) => client.once("network-lifecycle", r));
    const ref = { name: "hangar-h8-cap", uuid: "6e1b0c57-2f6a-4a52-9d3f-1c2b3a4d5e6f" };
    const msg = (proc: number, fill: (w: XdrWriter) => void) =>
      daemon.last.send({ proc, serial: 0, type: MessageType.MESSAGE }, enc(fill).toBuffer());
    msg(Proc.STORAGE_POOL_EVENT_LIFECYCLE, (w) => {
      w.int(3);
      writePool(w, ref);
      w.int(2).int(0);
    });
    msg(Proc.STORAGE_POOL_EVENT_REFRESH, (w) => {
      w.int(4);
      writePool(w, ref);
    });
    msg(Proc.NETWORK_EVENT_LIFECYCLE, (w) => {
      w.int(5);
      writePool(w, ref); // remote_nonnull_network has the same layout
      w.int(3).int(0);
    });
    expect(await pool).toEqual({ kind: "pool-lifecycle", callbackId: 3, pool: ref, event: 2, detail: 0 });
    expect(await refresh).toEqual({ kind: "pool-refresh", callbackId: 4, pool: ref });
    expect(await net).toEqual({ kind: "network-lifecycle", callbackId: 5, net: ref, event: 3, detail: 0 });
    expect(seen).toEqual([]);
  });
});
