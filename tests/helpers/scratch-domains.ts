// Throw-away libvirt domains for tests that need many machines changed behind Hangar's
// back: diskless and never started, so defining ten costs milliseconds and no QEMU.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { virsh } from "./lab";

export function defineScratch(name: string): void {
  const file = path.join(os.tmpdir(), `${name}.xml`);
  fs.writeFileSync(
    file,
    `<domain type='qemu'><name>${name}</name><memory unit='MiB'>32</memory><vcpu>1</vcpu><os><type arch='x86_64'>hvm</type></os><devices></devices></domain>`,
  );
  try {
    virsh("define", file);
  } finally {
    fs.rmSync(file, { force: true });
  }
}

/** Removes every scratch domain whose name starts with `prefix` (ignores ones not there). */
export function undefineScratch(prefix: string): void {
  for (const name of virsh("list", "--all", "--name")
    .split("\n")
    .map((s) => s.trim())
    .filter((s) => s.startsWith(prefix))) {
    try {
      virsh("destroy", name);
    } catch {
      /* not running */
    }
    virsh("undefine", name);
  }
}
