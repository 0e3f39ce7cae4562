// Reading an OVA (a tar whose first entry is the .ovf): its descriptor parsed, each disk it
// names found in the tar, and one entry copied out for qemu-img (qemu-img cannot read a
// disk inside a tar). Refusals name the field: `sourceVolume` for a tar that is no OVA,
// `ovf…` for a descriptor that does not hold together.
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
    const ovf = parseOvf(buf.toString("utf8"));
    if (ovf.disks.length === 0) throw new DriverError("invalid_input", "ovf.disks: the OVF names no disk file to import");
    const byName = new Map(entries.filter((e) => e.file).map((e) => [norm(e.name), e]));
    const diskEntries = ovf.disks.map((d, i) => {
      const e = byName.get(norm(d.file));
      if (!e) throw new DriverError("invalid_input", `ovf.disks[${i}].file: ${JSON.stringify(d.file)} is named by the OVF but is not in the OVA`);
      return e;
    });
    return { ovf, ovfName: first.name, diskEntries };
  } finally {
    await fh.close();
  }
}

/** Copies one tar entry's bytes to `dest`, which must not exist yet. */
export async function extractEntry(file: string, entry: TarEntry, dest: string): Promise<void> {
  if (entry.size === 0) {
    await (await open(dest, "wx")).close();
    return;
  }
  await pipeline(createReadStream(file, { start: entry.offset, end: entry.offset + entry.size - 1 }), createWriteStream(dest, { flags: "wx" }));
}
