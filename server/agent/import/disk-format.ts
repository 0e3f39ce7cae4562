// Which kind of disk image a file is, from its first bytes (and for a fixed VHD its last
// sector): never from its name, since uploads carry whatever name the user typed, and never
// by letting qemu-img probe (a raw image that starts like a qcow2 header would make qemu-img
// follow a backing file of the guest's choosing).
import type { SourceFormat } from "../../protocol";

/** Bytes to read from the start of a file: covers the tar header's ustar magic at 257. */
export const HEAD_BYTES = 512;

export type Detected = { format: SourceFormat } | { format: null; why: string };

const VDI_SIGNATURE = 0xbeda107f;

function ascii(b: Buffer, at: number, len: number): string {
  return b.subarray(at, at + len).toString("latin1");
}

/** A tar (ustar or GNU) header: "ustar\0" + "00" (POSIX) or "ustar  \0" (GNU). */
export function isTar(head: Buffer): boolean {
  return head.length >= 262 && ascii(head, 257, 5) === "ustar";
}

/**
 * `head` is the file's first HEAD_BYTES (fewer for a shorter file), `tail` its last 512
 * bytes (a fixed VHD has its footer only there), `size` its length. An OVA is recognised
 * here only as a tar; that its first entry is the .ovf is checked by whoever reads it.
 */
export function detectFormat(head: Buffer, tail: Buffer, size: number): Detected {
  if (size === 0) return { format: null, why: "the file is empty" };
  if (ascii(head, 0, 4) === "KDMV" || ascii(head, 0, 21) === "# Disk DescriptorFile") return { format: "vmdk" };
  // VirtualBox writes "<<< Oracle VM VirtualBox Disk Image >>>" (older: "innotek"); the text
  // varies, the little-endian signature at 0x40 does not.
  if (ascii(head, 0, 4) === "<<< " && head.length >= 0x44 && head.readUInt32LE(0x40) === VDI_SIGNATURE) return { format: "vdi" };
  if (ascii(head, 0, 8) === "vhdxfile") return { format: "vhdx" };
  // A dynamic VHD starts with a copy of its footer; a fixed one has it in the last sector only.
  if (ascii(head, 0, 8) === "conectix" || (tail.length === 512 && ascii(tail, 0, 8) === "conectix")) return { format: "vpc" };
  if (head.length >= 4 && head.readUInt32BE(0) === 0x514649fb) return { format: "qcow2" };
  if (isTar(head)) return { format: "ova" };
  const known = notADisk(head);
  if (known) return { format: null, why: `it is ${known}, not a disk image` };
  // Anything else is taken as a raw disk, but only if it is whole sectors: a text file or a
  // truncated download rarely is.
  if (size % 512 !== 0) return { format: null, why: `its size (${size} bytes) is not a whole number of 512-byte sectors, so it is no raw disk` };
  return { format: "raw" };
}

/** Files people upload by mistake, named so the refusal says what was found. */
function notADisk(head: Buffer): string | null {
  if (head[0] === 0x1f && head[1] === 0x8b) return "gzip-compressed (unpack it first)";
  if (ascii(head, 0, 6) === "\xfd7zXZ\x00") return "xz-compressed (unpack it first)";
  if (ascii(head, 0, 3) === "BZh") return "bzip2-compressed (unpack it first)";
  if (ascii(head, 0, 4) === "PK\x03\x04") return "a zip archive (unpack it first)";
  if (ascii(head, 0, 6) === "7z\xbc\xaf\x27\x1c") return "a 7-Zip archive (unpack it first)";
  if (head.length >= 4 && head.readUInt32BE(0) === 0x28b52ffd) return "zstd-compressed (unpack it first)";
  const text = ascii(head, 0, 64).trimStart();
  if (text.startsWith("<?xml") || text.startsWith("<Envelope") || text.startsWith("<ovf:Envelope"))
    return "an XML file (an .ovf alone; import the .ova or the disk it names)";
  return null;
}
