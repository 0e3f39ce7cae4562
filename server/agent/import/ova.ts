// Reading an OVA (a tar whose first entry is the .ovf): its descriptor parsed, each disk it
// names found in the tar, and one entry copied out for qemu-img (qemu-img cannot read a
// disk inside a tar). Refusals name the field: `sourceVolume` for a tar that is no OVA,
// `ovf…` for a descriptor that does not hold together.
import { createHash } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { open } from "node:fs/promises";
import { pipeline } from "node:stream/promises";
import type { OvfFacts } from "../../protocol";
import { DriverError } from "../drivers/driver";
import { MAX_OVF_BYTES, parseOvf } from "./ovf-parser";
import { listTar, TarError, type TarEntry } from "./tar-reader";

export interface OvaContents {
  ovf: OvfFacts;
  ovfName: string;
  /** The tar entry of each of ovf.disks, in the same order. */
  diskEntries: TarEntry[];
  /** Digests the OVA's manifest (.mf) states, by file name: checked while extracting. */
  manifest: Map<string, Digest>;
}

export interface Digest {
  algorithm: "sha1" | "sha256" | "sha512";
  hex: string;
}

const MAX_MANIFEST_BYTES = 64 * 1024;

/** "SHA256(disk1.vmdk)= ab12…" lines (ovftool and VirtualBox write SHA1 or SHA256). */
export function parseManifest(text: string): Map<string, Digest> {
  const out = new Map<string, Digest>();
  for (const line of text.split(/\r?\n/)) {
    const m = /^(SHA1|SHA256|SHA512)\((.+)\)\s*=\s*([0-9a-fA-F]+)\s*$/.exec(line.trim());
    if (m) out.set(norm(m[2]!), { algorithm: m[1]!.toLowerCase() as Digest["algorithm"], hex: m[3]!.toLowerCase() });
  }
  return out;
}

function checkDigest(name: string, d: Digest | undefined, actual: (alg: Digest["algorithm"]) => string, field: string): void {
  if (d && actual(d.algorithm) !== d.hex)
    throw new DriverError(
      "invalid_input",
      `${field}: ${name} does not match the ${d.algorithm.toUpperCase()} in the OVA's manifest (damaged or altered)`,
    );
}

const norm = (n: string) => n.replace(/^(\.\/)+/, "");

/** Lists and checks the OVA at `file` and parses its OVF. */
export async function readOva(file: string): Promise<OvaContents> {
  const fh = await open(file, "r");
  try {
    const { size } = await fh.stat();
    let entries: TarEntry[];
    try {
      entries = await listTar(fh, size);
    } catch (err) {
      if (err instanceof TarError) throw new DriverError("invalid_input", `sourceVolume: not a readable OVA: ${err.message}`);
      throw err;
    }
    const first = entries.find((e) => e.file);
    if (!first || !/\.ovf$/i.test(first.name))
      throw new DriverError(
        "invalid_input",
        `sourceVolume: a tar, but not an OVA: its first file must be the .ovf descriptor (found ${first ? JSON.stringify(first.name) : "no file"})`,
      );
    if (first.size > MAX_OVF_BYTES) throw new DriverError("invalid_input", `ovf: the descriptor is larger than ${MAX_OVF_BYTES} bytes`);
    const buf = Buffer.alloc(first.size);
    await fh.read(buf, 0, first.size, first.offset);
    const mf = entries.find((e) => e.file && /\.mf$/i.test(e.name) && e.size <= MAX_MANIFEST_BYTES);
    let manifest = new Map<string, Digest>();
    if (mf) {
      const text = Buffer.alloc(mf.size);
      await fh.read(text, 0, mf.size, mf.offset);
      manifest = parseManifest(text.toString("utf8"));
    }
    checkDigest(first.name, manifest.get(norm(first.name)), (alg) => createHash(alg).update(buf).digest("hex"), "ovf");
    const ovf = parseOvf(buf.toString("utf8"));
    if (ovf.disks.length === 0) throw new DriverError("invalid_input", "ovf.disks: the OVF names no disk file to import");
    const byName = new Map(entries.filter((e) => e.file).map((e) => [norm(e.name), e]));
    const diskEntries = ovf.disks.map((d, i) => {
      const e = byName.get(norm(d.file));
      if (!e) throw new DriverError("invalid_input", `ovf.disks[${i}].file: ${JSON.stringify(d.file)} is named by the OVF but is not in the OVA`);
      return e;
    });
    return { ovf, ovfName: first.name, diskEntries, manifest };
  } finally {
    await fh.close();
  }
}

/** Copies one tar entry's bytes to `dest`, which must not exist yet, checking the manifest's digest of it when there is one. */
export async function extractEntry(file: string, entry: TarEntry, dest: string, digest?: Digest, field = "sourceVolume"): Promise<void> {
  const hash = digest ? createHash(digest.algorithm) : null;
  if (entry.size === 0) await (await open(dest, "wx")).close();
  else
    await pipeline(
      createReadStream(file, { start: entry.offset, end: entry.offset + entry.size - 1 }),
      async function* (src: AsyncIterable<Buffer>) {
        for await (const chunk of src) {
          hash?.update(chunk);
          yield chunk;
        }
      },
      createWriteStream(dest, { flags: "wx" }),
    );
  if (hash) {
    const hex = hash.digest("hex");
    checkDigest(entry.name, digest, () => hex, field);
  }
}
