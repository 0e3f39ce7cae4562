// qemu-img convert as a child process: its -p output ("(12.34/100%)") becomes progress,
// an abort kills it. HANGAR_BACKUP_RATE_LIMIT (bytes/s, qemu-img's -r) keeps a backup from
// starving the guests of disk bandwidth on a busy host.
import { spawn } from "node:child_process";
import { DriverError } from "../../driver";

export interface ConvertOptions {
  /** The source is in use by a running (paused) QEMU: read it without taking its lock. */
  shared: boolean;
  signal: AbortSignal;
  onPercent: (pct: number) => void;
}

export function rateLimit(): string[] {
  const r = Number(process.env.HANGAR_BACKUP_RATE_LIMIT ?? "");
  return Number.isInteger(r) && r > 0 ? ["-r", String(r)] : [];
}

export function convert(src: string, dst: string, o: ConvertOptions): Promise<void> {
  const args = ["convert", "-p", ...(o.shared ? ["-U"] : []), ...rateLimit(), "-O", "qcow2", src, dst];
  return new Promise((resolve, reject) => {
    if (o.signal.aborted) return reject(new DriverError("cancelled", "the backup was abandoned"));
    const child = spawn("qemu-img", args, { stdio: ["ignore", "pipe", "pipe"] });
    let err = "";
    const stop = () => child.kill("SIGKILL");
    o.signal.addEventListener("abort", stop, { once: true });
    child.stdout.on("data", (d: Buffer) => {
      const all = [...d.toString().matchAll(/\((\d+(?:\.\d+)?)\/100%\)/g)];
      const last = all.at(-1)?.[1];
      if (last) o.onPercent(Number(last));
    });
    child.stderr.on("data", (d: Buffer) => (err = (err + d.toString()).slice(-2000)));
    child.on("error", (e) => reject(new DriverError("engine_error", `qemu-img: ${e.message}`)));
    child.on("close", (code, sig) => {
      o.signal.removeEventListener("abort", stop);
      if (o.signal.aborted) reject(new DriverError("cancelled", "the backup was abandoned"));
      else if (code === 0) resolve();
      else reject(new DriverError("engine_error", `qemu-img convert ${src} failed (${sig ?? code}): ${err.trim()}`));
    });
  });
}
