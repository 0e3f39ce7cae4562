// Pools, volumes (create, resize, clone, upload, delete) and networks against the real
// libvirtd (HANGAR_LIBVIRT=1, see client.integration.test.ts). Everything it makes is
// named hangar-h8-* and lives in a fresh temp dir; afterAll removes it all.
import { execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, expect, it } from "vitest";
import { labSuite } from "../../../tests/helpers/lab";
import {
  ErrorCode,
  LibvirtClient,
  LibvirtError,
  ListPoolsFlags,
  PoolBuildFlags,
  PoolEventId,
  PoolLifecycleEvent,
  registerStoragePoolEvent,
  storageVolDownload,
  StoragePoolState,
  StorageVolType,
  storagePoolBuild,
  storagePoolCreate,
  storagePoolDefineXml,
  storagePoolDelete,
  storagePoolDestroy,
  storagePoolGetAutostart,
  storagePoolGetInfo,
  storagePoolGetXmlDesc,
  storagePoolIsActive,
  storagePoolList,
  storagePoolLookupByName,
  storagePoolRefresh,
  storagePoolSetAutostart,
  storagePoolUndefine,
  storageVolCreateXml,
  storageVolCreateXmlFrom,
  storageVolDelete,
  storageVolGetInfo,
  storageVolGetPath,
  storageVolList,
  storageVolLookupByName,
  storageVolResize,
  storageVolUpload,
  storageVolUploadFrom,
  type PoolRef,
} from "./index";
import { EventLog } from "./testing/event-log";
import { dirPoolXml, qemuImgInfo, removeScratchPools, scratchDir, scratchName } from "./testing/scratch-pool";

const MiB = 1024 * 1024;
const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");
const volXml = (name: string, format: "qcow2" | "raw", bytes: number) =>
  `<volume><name>${name}</name><capacity unit='bytes'>${bytes}</capacity><target><format type='${format}'/></target></volume>`;

async function errorOf(p: Promise<unknown>): Promise<LibvirtError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(LibvirtError);
  return e as LibvirtError;
}

labSuite("libvirt", "storage pools and volumes over libvirt RPC", () => {
  const client = new LibvirtClient();
  const dir = scratchDir();
  const target = path.join(dir, "pool");
  const poolName = scratchName("pool");
  let pool: PoolRef;
  const lifecycle = new EventLog(client, "pool-lifecycle");
  const refreshes = new EventLog(client, "pool-refresh");
  const poolEvent = (event: number, what: string) => lifecycle.waitFor((e) => e.pool.name === poolName && e.event === event, what);

  beforeAll(async () => {
    await client.connect();
    await registerStoragePoolEvent(client, PoolEventId.LIFECYCLE);
    await registerStoragePoolEvent(client, PoolEventId.REFRESH);
  });

  afterAll(async () => {
    await removeScratchPools(client, "hangar-h8-pool-");
    await client.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("defines, builds, starts and describes a directory pool", async () => {
    pool = await storagePoolDefineXml(client, dirPoolXml(poolName, target));
    expect(pool.name).toBe(poolName);
    expect((await poolEvent(PoolLifecycleEvent.DEFINED, "defined")).pool).toEqual(pool);
    expect((await storagePoolList(client, ListPoolsFlags.INACTIVE)).map((p) => p.uuid)).toContain(pool.uuid);
    expect((await storagePoolGetInfo(client, pool)).state).toBe(StoragePoolState.INACTIVE);
    expect(fs.existsSync(target)).toBe(false);

    await storagePoolBuild(client, pool, PoolBuildFlags.NEW);
    expect(fs.statSync(target).isDirectory()).toBe(true);
    await storagePoolCreate(client, pool);
    await poolEvent(PoolLifecycleEvent.STARTED, "started");
    expect(await storagePoolIsActive(client, pool)).toBe(true);
    expect((await storagePoolList(client, ListPoolsFlags.ACTIVE)).map((p) => p.name)).toContain(poolName);
    expect(await storagePoolLookupByName(client, poolName)).toEqual(pool);

    const info = await storagePoolGetInfo(client, pool);
    const fsStat = fs.statfsSync(target, { bigint: true });
    expect(info.state).toBe(StoragePoolState.RUNNING);
    // libvirt reports the file system under the pool: same total size as statfs says.
    expect(info.capacity).toBe(fsStat.blocks * fsStat.bsize);
    expect(info.available).toBeLessThanOrEqual(info.capacity);
    expect(info.allocation + info.available).toBeLessThanOrEqual(info.capacity);

    expect(await storagePoolGetXmlDesc(client, pool)).toContain(`<path>${target}</path>`);
    expect(await storagePoolGetAutostart(client, pool)).toBe(false);
    await storagePoolSetAutostart(client, pool, true);
    expect(await storagePoolGetAutostart(client, pool)).toBe(true);
    await storagePoolSetAutostart(client, pool, false);
    expect(await storagePoolGetAutostart(client, pool)).toBe(false);
  });

  it("creates, resizes, clones and deletes qcow2 volumes", async () => {
    const vol = await storageVolCreateXml(client, pool, volXml("disk.qcow2", "qcow2", 10 * MiB));
    const file = path.join(target, "disk.qcow2");
    expect(vol).toEqual({ pool: poolName, name: "disk.qcow2", key: file });
    expect(await storageVolGetPath(client, vol)).toBe(file);
    expect(qemuImgInfo(file)).toMatchObject({ format: "qcow2", "virtual-size": 10 * MiB });
    expect(await storageVolGetInfo(client, vol)).toMatchObject({ type: StorageVolType.FILE, capacity: BigInt(10 * MiB) });
    expect((await storageVolList(client, pool)).map((v) => v.name)).toEqual(["disk.qcow2"]);

    // Same name again: libvirt refuses instead of overwriting.
    const dup = await errorOf(storageVolCreateXml(client, pool, volXml("disk.qcow2", "qcow2", MiB)));
    expect(dup.code).toBe(ErrorCode.STORAGE_VOL_EXIST);

    await storageVolResize(client, vol, BigInt(20 * MiB));
    expect(qemuImgInfo(file)["virtual-size"]).toBe(20 * MiB);
    expect((await storageVolGetInfo(client, vol)).capacity).toBe(BigInt(20 * MiB));
    // Shrinking needs an explicit flag (and qcow2 cannot shrink at all): refused, size kept.
    await errorOf(storageVolResize(client, vol, BigInt(5 * MiB)));
    expect(qemuImgInfo(file)["virtual-size"]).toBe(20 * MiB);

    const clone = await storageVolCreateXmlFrom(client, pool, volXml("clone.qcow2", "qcow2", 20 * MiB), vol);
    expect(clone.name).toBe("clone.qcow2");
    expect(qemuImgInfo(path.join(target, "clone.qcow2"))).toMatchObject({ format: "qcow2", "virtual-size": 20 * MiB });

    // A clone into another format converts (libvirt runs qemu-img convert itself).
    const asRaw = await storageVolCreateXmlFrom(client, pool, volXml("clone.raw", "raw", 20 * MiB), vol);
    expect(qemuImgInfo(path.join(target, "clone.raw")).format).toBe("raw");

    for (const v of [vol, clone, asRaw]) await storageVolDelete(client, v);
    for (const n of ["disk.qcow2", "clone.qcow2", "clone.raw"]) expect(fs.existsSync(path.join(target, n))).toBe(false);
    expect(await storageVolList(client, pool)).toEqual([]);
    const gone = await errorOf(storageVolLookupByName(client, pool, "disk.qcow2"));
    expect(gone.code).toBe(ErrorCode.NO_STORAGE_VOL);
  });

  it("uploads into a raw volume through a libvirt stream, and clones the content", async () => {
    const size = 4 * MiB + 12345; // several stream packets and a ragged end
    const vol = await storageVolCreateXml(client, pool, volXml("upload.raw", "raw", size));
    const data = randomBytes(size);
    // Sent in uneven pieces, as a browser upload would arrive.
    const pieces = [data.subarray(0, 1000), data.subarray(1000, 3 * MiB), data.subarray(3 * MiB)];
    const sent = await storageVolUploadFrom(client, vol, Readable.from(pieces));
    expect(sent).toBe(size);
    const file = path.join(target, "upload.raw");
    expect(sha256(fs.readFileSync(file))).toBe(sha256(data));

    // An upload at an offset changes just those bytes.
    const patch = Buffer.from("hangar was here");
    await storageVolUploadFrom(client, vol, Readable.from([patch]), 4096n);
    const expected = Buffer.from(data);
    patch.copy(expected, 4096);
    expect(sha256(fs.readFileSync(file))).toBe(sha256(expected));
    // And reads back through a download stream, byte for byte.
    const down = await storageVolDownload(client, vol);
    const chunks: Buffer[] = [];
    for await (const c of down) chunks.push(c as Buffer);
    expect(sha256(Buffer.concat(chunks))).toBe(sha256(expected));

    const copy = await storageVolCreateXmlFrom(client, pool, volXml("copy.raw", "raw", size), vol);
    expect(sha256(fs.readFileSync(path.join(target, "copy.raw")))).toBe(sha256(expected));
    await storageVolDelete(client, copy);

    // An aborted upload releases the stream: the connection keeps working and a new
    // upload into the same volume succeeds.
    const st = await storageVolUpload(client, vol);
    st.write(Buffer.alloc(64 * 1024, 0x55));
    await st.close();
    await storageVolUploadFrom(client, vol, Readable.from([Buffer.from("again")]));
    expect(fs.readFileSync(file).subarray(0, 5).toString()).toBe("again");
    await storageVolDelete(client, vol);
  });

  it("sees files added behind its back after a refresh, and stops, deletes and undefines the pool", async () => {
    fs.writeFileSync(path.join(target, "dropped.img"), Buffer.alloc(MiB));
    expect((await storageVolList(client, pool)).map((v) => v.name)).not.toContain("dropped.img");
    await storagePoolRefresh(client, pool);
    await refreshes.waitFor((e) => e.pool.uuid === pool.uuid, "refresh");
    const dropped = await storageVolLookupByName(client, pool, "dropped.img");
    expect((await storageVolGetInfo(client, dropped)).capacity).toBe(BigInt(MiB));
    await storageVolDelete(client, dropped);

    // An active pool cannot be undefined.
    await errorOf(storagePoolUndefine(client, pool));
    await storagePoolDestroy(client, pool);
    await poolEvent(PoolLifecycleEvent.STOPPED, "stopped");
    expect(await storagePoolIsActive(client, pool)).toBe(false);
    expect((await errorOf(storageVolList(client, pool))).code).toBe(ErrorCode.OPERATION_INVALID);
    await storagePoolDelete(client, pool);
    expect(fs.existsSync(target)).toBe(false);
    await storagePoolUndefine(client, pool);
    await poolEvent(PoolLifecycleEvent.UNDEFINED, "undefined");
    expect((await errorOf(storagePoolLookupByName(client, poolName))).code).toBe(ErrorCode.NO_STORAGE_POOL);
    expect(execFileSync("virsh", ["-c", "qemu:///system", "pool-list", "--all", "--name"], { encoding: "utf8" })).not.toContain(poolName);
  });
});
