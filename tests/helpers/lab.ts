// Access to the real lab: virsh for arranging and checking state behind Hangar's back,
// and the guests' serial logs.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

export const LAB_DIR = process.env.HANGAR_LAB_DIR ?? "/var/lib/hangar-lab";
export const HAS_LIBVIRT = process.env.HANGAR_LIBVIRT === "1";

export function virsh(...args: string[]): string {
  return execFileSync("virsh", ["-c", "qemu:///system", ...args], { encoding: "utf8", timeout: 60_000, stdio: ["ignore", "pipe", "pipe"] }).trim();
}

export function domState(name: string): string {
  return virsh("domstate", name).split("\n")[0]!;
}

/** Force a guest off (ignoring "not running"), so each test starts from a known state. */
export function ensureOff(name: string): void {
  try {
    virsh("destroy", name);
  } catch {
    /* already off */
  }
}

export function serialLog(name: string): string {
  const f = path.join(LAB_DIR, "logs", `${name}.serial.log`);
  return fs.existsSync(f) ? fs.readFileSync(f, "latin1") : "";
}

export async function until<T>(what: string, fn: () => T | Promise<T>, timeoutMs = 30_000, everyMs = 100): Promise<NonNullable<T>> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v as NonNullable<T>;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export function restartLibvirtd(): void {
  execFileSync("bash", [path.resolve(import.meta.dirname, "..", "..", "scripts", "lab", "libvirt-restart.sh")], { stdio: "ignore", timeout: 90_000 });
}

/** The guest finished its latest boot: a shell prompt follows the last boot banner. */
export function guestReady(name: string): boolean {
  const log = serialLog(name);
  const banner = log.lastIndexOf("hangar-guest booted");
  return banner >= 0 && log.indexOf("hangar-guest:", banner) > banner;
}
