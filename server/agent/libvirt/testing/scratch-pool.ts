// Throw-away storage for integration tests against the real libvirtd: a directory pool
// in a fresh temp dir, removed again (volumes, pool, directory) whatever the test did.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { LibvirtClient } from "../client";
import { storagePoolDestroy, storagePoolIsActive, storagePoolList, storagePoolUndefine, storageVolList } from "../pool-api";
import { storageVolDelete } from "../volume-api";

/** A name unique to this run, with the prefix the cleanup looks for. */
export function scratchName(kind: string): string {
  return `hangar-h8-${kind}-${randomBytes(4).toString("hex")}`;
}

/**
 * A parent directory QEMU (user libvirt-qemu) can traverse: mkdtemp makes 0700 dirs,
 * which would keep a guest from opening its disk even after libvirt chowns the file.
 */
export function scratchDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hangar-h8-"));
  fs.chmodSync(dir, 0o755);
  return dir;
}

export function dirPoolXml(name: string, target: string): string {
  return `<pool type='dir'><name>${name}</name><target><path>${target}</path></target></pool>`;
}

/** Deletes every volume of every pool named `prefix…`, stops and undefines the pools. */
export async function removeScratchPools(client: LibvirtClient, prefix: string): Promise<void> {
  for (const pool of await storagePoolList(client)) {
    if (!pool.name.startsWith(prefix)) continue;
    if (await storagePoolIsActive(client, pool)) {
      for (const vol of await storageVolList(client, pool)) await storageVolDelete(client, vol).catch(() => undefined);
      await storagePoolDestroy(client, pool).catch(() => undefined);
    }
    await storagePoolUndefine(client, pool).catch(() => undefined);
  }
}

export interface QemuImgInfo {
  format: string;
  "virtual-size": number;
  snapshots?: Array<{ name: string }>;
  "format-specific"?: { type: string; data: { compat?: string } };
}

/** qemu-img's view of an image (-U: the image may be open in a running guest). */
export function qemuImgInfo(file: string): QemuImgInfo {
  return JSON.parse(execFileSync("qemu-img", ["info", "-U", "--output=json", file], { encoding: "utf8" })) as QemuImgInfo;
}

/** Runs one qemu-io command on an image no guest has open; throws when it reports a failure. */
export function qemuIo(file: string, format: string, command: string): string {
  const out = execFileSync("qemu-io", ["-f", format, "-c", command, file], { encoding: "utf8" });
  // qemu-io exits 0 even when a pattern check fails; it prints "Pattern verification failed".
  if (/failed|error/i.test(out)) throw new Error(`qemu-io ${command}: ${out}`);
  return out;
}
