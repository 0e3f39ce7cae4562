// A tiny reader for the tar an OVA is: entry names, sizes and where their data starts, read
// header by header from the file (no extraction, no tar process). An OVA is plain ustar
// (DSP0243 §5.3: the .ovf first, then manifest and disks), sometimes with GNU long names
// or pax headers from the tool that made it; other entry kinds are listed and ignored.
import type { FileHandle } from "node:fs/promises";

export interface TarEntry {
  name: string;
  /** Byte offset of the entry's data in the tar. */
  offset: number;
  size: number;
  /** Regular file ('0' or NUL type flag). */
  file: boolean;
}

const BLOCK = 512;

export class TarError extends Error {}

function cString(b: Buffer, at: number, len: number): string {
  const s = b.subarray(at, at + len);
  const nul = s.indexOf(0);
  return s.subarray(0, nul === -1 ? s.length : nul).toString("utf8");
}

/** Octal ASCII, or GNU's base-256 (high bit set) for entries past 8 GiB. */
export function tarNumber(b: Buffer, at: number, len: number): number {
  const f = b.subarray(at, at + len);
  if (f[0]! & 0x80) {
    let v = f[0]! & 0x7f;
    for (let i = 1; i < f.length; i++) v = v * 256 + f[i]!;
    if (!Number.isSafeInteger(v)) throw new TarError("a tar entry size is too large");
    return v;
  }
  const s = f.toString("latin1").replace(/\0.*$/s, "").trim();
  if (s === "") return 0;
  if (!/^[0-7]+$/.test(s)) throw new TarError(`a tar header has a malformed number field (${JSON.stringify(s)})`);
  return parseInt(s, 8);
}

function checksumOk(h: Buffer): boolean {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : h[i]!;
  return sum === tarNumber(h, 148, 8);
}

/** The pax "path" record of an extended header, if any ("<len> path=<value>\n" records). */
function paxPath(data: Buffer): string | null {
  let i = 0;
  while (i < data.length) {
    const sp = data.indexOf(0x20, i);
    if (sp === -1) break;
    const len = parseInt(data.subarray(i, sp).toString("latin1"), 10);
    if (!Number.isSafeInteger(len) || len <= 0) break;
    const rec = data.subarray(sp + 1, i + len - 1).toString("utf8");
    if (rec.startsWith("path=")) return rec.slice(5);
    i += len;
  }
  return null;
}

/** Every entry of the tar, in order; stops at the end-of-archive block or the end of the file. */
export async function listTar(fh: FileHandle, fileSize: number, maxEntries = 1024): Promise<TarEntry[]> {
  const entries: TarEntry[] = [];
  const h = Buffer.alloc(BLOCK);
  let pos = 0;
  let longName: string | null = null;
  while (pos + BLOCK <= fileSize) {
    const { bytesRead } = await fh.read(h, 0, BLOCK, pos);
    if (bytesRead < BLOCK) throw new TarError("the tar ends inside a header");
    if (h.every((x) => x === 0)) break;
    if (!checksumOk(h)) throw new TarError(`the tar header at byte ${pos} has a wrong checksum`);
    const size = tarNumber(h, 124, 12);
    const type = String.fromCharCode(h[156]!);
    const data = pos + BLOCK;
    if (data + size > fileSize) throw new TarError(`the tar entry at byte ${pos} runs past the end of the file (truncated?)`);
    const next = data + Math.ceil(size / BLOCK) * BLOCK;
    if (type === "L" || type === "x") {
      // The name of the NEXT entry: GNU long name ('L') or pax extended header ('x').
      if (size > 64 * 1024) throw new TarError("a tar name header is too large");
      const buf = Buffer.alloc(size);
      await fh.read(buf, 0, size, data);
      longName = type === "L" ? cString(buf, 0, size) : (paxPath(buf) ?? longName);
    } else if (type !== "g") {
      const prefix = ascii(h, 257, 5) === "ustar" ? cString(h, 345, 155) : "";
      const base = cString(h, 0, 100);
      const name = longName ?? (prefix ? `${prefix}/${base}` : base);
      longName = null;
      entries.push({ name, offset: data, size, file: type === "0" || type === "\0" });
      if (entries.length > maxEntries) throw new TarError(`the tar has more than ${maxEntries} entries`);
    }
    pos = next;
  }
  return entries;
}

function ascii(b: Buffer, at: number, len: number): string {
  return b.subarray(at, at + len).toString("latin1");
}
