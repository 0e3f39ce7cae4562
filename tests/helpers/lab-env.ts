// Which parts of the real lab this process was given, and whether a missing part is an
// error. Framework-free so vitest files and Playwright specs share one rule: under CI
// (`CI` non-empty) or HANGAR_REQUIRE_LAB=1 a real-service test never skips; it fails
// and names the variable that was missing. Elsewhere (a developer's quick run) it skips,
// and the totals line still counts the skip.

import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export type LabPart = "libvirt" | "podman" | "postgres" | "tmpfs";

const PARTS: Record<LabPart, { variable: string; present: () => boolean }> = {
  libvirt: { variable: "HANGAR_LIBVIRT=1", present: () => process.env.HANGAR_LIBVIRT === "1" },
  podman: { variable: "HANGAR_PODMAN_SOCKET", present: () => !!process.env.HANGAR_PODMAN_SOCKET },
  postgres: { variable: "HANGAR_TEST_PG_URL", present: () => !!process.env.HANGAR_TEST_PG_URL },
  // Mounting a small tmpfs (root in a sandbox that allows it) fills a disk on purpose.
  tmpfs: { variable: "permission to mount a tmpfs (root)", present: () => canMountTmpfs() },
};

let mountable: boolean | null = null;
function canMountTmpfs(): boolean {
  if (mountable !== null) return mountable;
  const probe = fs.mkdtempSync(path.join(os.tmpdir(), "hangar-mount-probe-"));
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", probe], { stdio: "ignore" });
    execFileSync("umount", [probe], { stdio: "ignore" });
    mountable = true;
  } catch {
    mountable = false;
  } finally {
    fs.rmSync(probe, { recursive: true, force: true });
  }
  return mountable;
}

/** True when a skipped real-service test must fail the run instead. */
export function labRequired(): boolean {
  return !!process.env.CI || process.env.HANGAR_REQUIRE_LAB === "1";
}

/** null when the part is there; else the sentence a skip or a failure reports. */
export function labMissing(part: LabPart): string | null {
  const p = PARTS[part];
  if (p.present()) return null;
  if (part === "tmpfs") return `no ${p.variable}: this test fills a small tmpfs`;
  return `${p.variable} is not set: this needs the real ${part} lab (bash scripts/lab/test-services-up.sh, then . /var/lib/hangar-lab/test-env.sh)`;
}

/** The error a required-but-missing part raises, naming why it is required. */
export function labRequiredError(part: LabPart): Error {
  const why = process.env.CI ? "CI is set" : "HANGAR_REQUIRE_LAB=1";
  return new Error(`${labMissing(part)}; ${why}, so a real-service test may not skip`);
}

interface PlaywrightLike {
  skip(condition: boolean, description: string): void;
  beforeAll(fn: () => void | Promise<void>): void;
}

/**
 * Playwright's guard for a spec file: skips the file when the part is missing and the lab
 * is optional; when the lab is required, fails its tests with the missing variable's name.
 * Call it before the file's own hooks so it runs first.
 */
export function guardSpec(test: PlaywrightLike, ...parts: LabPart[]): void {
  const missing = parts.find((p) => labMissing(p) !== null);
  if (!missing) return;
  if (labRequired()) {
    test.beforeAll(() => {
      throw labRequiredError(missing);
    });
  } else test.skip(true, labMissing(missing)!);
}
