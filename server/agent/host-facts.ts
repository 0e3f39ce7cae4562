// Facts about the machine the agent runs on, for the Hosts page.
import fs from "node:fs";
import os from "node:os";
import type { HostFacts } from "../protocol";

function osName(): string {
  try {
    const text = fs.readFileSync("/etc/os-release", "utf8");
    return /^PRETTY_NAME="?([^"\n]*)"?/m.exec(text)?.[1] ?? os.type();
  } catch {
    return os.type();
  }
}

/** KVM is usable when /dev/kvm opens read-write; otherwise QEMU falls back to TCG. */
export function kvmStatus(): { usable: boolean; reason: string | null } {
  for (const dev of ["/dev/kvm"]) {
    try {
      const fd = fs.openSync(dev, "r+");
      fs.closeSync(fd);
      return { usable: true, reason: null };
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      return {
        usable: false,
        reason: e.code === "ENOENT" ? "no /dev/kvm (no hardware virtualization or module not loaded)" : `cannot open /dev/kvm: ${e.code}`,
      };
    }
  }
  return { usable: false, reason: "unknown" };
}

export function hostFacts(
  versions: { libvirt: string | null; qemu: string | null },
  migration: { migrationUri: string | null; libvirtHostUuid: string | null } = { migrationUri: null, libvirtHostUuid: null },
): HostFacts {
  const cpus = os.cpus();
  return {
    hostname: os.hostname(),
    os: osName(),
    kernel: os.release(),
    arch: os.arch(),
    cpuModel: cpus[0]?.model.trim() ?? "unknown",
    cpuCount: cpus.length,
    memoryBytes: os.totalmem(),
    libvirtVersion: versions.libvirt,
    qemuVersion: versions.qemu,
    kvm: kvmStatus(),
    ...migration,
  };
}
