// Debian's qemu-img: the one program the agent runs, because libvirt has no call that
// converts a foreign image into a new file with progress (virStorageVolCreateXMLFrom runs
// qemu-img too, but silently and only between volumes libvirt already manages). Always an
// argument array (execFile/spawn, never a shell), always an explicit input format.
import { execFile, spawn } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);
export const QEMU_IMG = process.env.HANGAR_QEMU_IMG ?? "qemu-img";

export class QemuImgError extends Error {}

export interface ImageInfo {
  virtualSize: number;
  backingFile: string | null;
  /** Files a VMDK descriptor points at (its extents); empty for other formats. */
  extents: string[];
}

interface RawInfo {
  "virtual-size"?: number;
  "backing-filename"?: string;
  "full-backing-filename"?: string;
  "format-specific"?: { type?: string; data?: { extents?: Array<{ filename?: string }> } };
}

function firstLine(s: string): string {
  return (
    s
      .split("\n")
      .map((l) => l.trim())
      .filter(Boolean)
      .pop() ?? ""
  ).replace(/^qemu-img: /, "");
}

/** What qemu-img reads in `file` as `format` (never probed). Throws QemuImgError with qemu-img's reason. */
export async function imageInfo(file: string, format: string): Promise<ImageInfo> {
  try {
    const { stdout } = await run(QEMU_IMG, ["info", "-f", format, "--output=json", file], { maxBuffer: 4 * 1024 * 1024 });
    const j = JSON.parse(stdout) as RawInfo;
    return {
      virtualSize: j["virtual-size"] ?? 0,
      backingFile: j["full-backing-filename"] ?? j["backing-filename"] ?? null,
      extents: (j["format-specific"]?.data?.extents ?? []).map((e) => e.filename ?? "").filter(Boolean),
    };
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new QemuImgError(firstLine(e.stderr ?? "") || e.message);
  }
}

/** Percentages in qemu-img -p output: "    (12.34/100%)" redrawn with \r. */
export function parseProgress(chunk: string): number[] {
  const out: number[] = [];
  for (const m of chunk.matchAll(/\((\d{1,3}(?:\.\d+)?)\/100%\)/g)) out.push(Number(m[1]));
  return out;
}

/**
 * qemu-img convert -p -f <from> -O qcow2 -o compat=1.1 <src> <dst>, reporting progress
 * (0-100) as qemu-img prints it. Resolves when qemu-img exits 0; otherwise rejects with its
 * last error line. `signal` kills it; the promise settles only once qemu-img has exited,
 * so the caller may remove `dst` knowing nothing writes to it any more.
 */
export function convertToQcow2(src: string, from: string, dst: string, onProgress?: (pct: number) => void, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn(QEMU_IMG, ["convert", "-p", "-f", from, "-O", "qcow2", "-o", "compat=1.1", src, dst], {
      stdio: ["ignore", "pipe", "pipe"],
      signal,
    });
    let err = "";
    let last = -1;
    p.stdout.setEncoding("utf8").on("data", (c: string) => {
      for (const pct of parseProgress(c))
        if (pct !== last) {
          last = pct;
          onProgress?.(pct);
        }
    });
    p.stderr.setEncoding("utf8").on("data", (c: string) => {
      if (err.length < 16_384) err += c;
    });
    // An abort also emits "error": the answer waits for "close" (the process gone).
    p.once("error", (e) => {
      if (!signal?.aborted) reject(new QemuImgError(`cannot run ${QEMU_IMG}: ${e.message}`));
    });
    p.once("close", (code, sig) => {
      if (signal?.aborted) reject(new QemuImgError(`qemu-img convert was stopped (${sig ?? `exit code ${code}`})`));
      else if (code === 0) resolve();
      else reject(new QemuImgError(firstLine(err) || `qemu-img convert ended with ${sig ?? `exit code ${code}`}`));
    });
  });
}
