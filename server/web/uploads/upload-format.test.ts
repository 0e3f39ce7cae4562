// Format detection from an upload's first bytes and the volume name rules (no lab needed).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { FORMAT_PROBE_BYTES, detectFormat, volumeNameProblem } from "../../protocol/upload-methods";
import { VolumeName } from "../../protocol/volume";

describe("detectFormat", () => {
  it("knows a qcow2 made by qemu-img by its QFI\\xfb magic", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hx-b-unit-"));
    try {
      const f = path.join(dir, "x.qcow2");
      execFileSync("qemu-img", ["create", "-q", "-f", "qcow2", f, "1M"]);
      expect(detectFormat(fs.readFileSync(f).subarray(0, FORMAT_PROBE_BYTES))).toBe("qcow2");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("knows an ISO 9660 image by CD001 at 0x8001, and calls the rest raw", () => {
    const iso = Buffer.alloc(FORMAT_PROBE_BYTES);
    iso.write("CD001", 0x8001, "latin1");
    expect(detectFormat(iso)).toBe("iso");
    expect(detectFormat(iso.subarray(0, FORMAT_PROBE_BYTES - 1))).toBe("raw");
    expect(detectFormat(Buffer.alloc(0))).toBe("raw");
    expect(detectFormat(Buffer.from("QFI"))).toBe("raw");
  });
});

describe("volumeNameProblem", () => {
  it("allows only names the volume routes' VolumeName also accepts", () => {
    for (const n of ["a.iso", ".x", "a b", " a", "a\\b", "..", "x".repeat(200)])
      if (volumeNameProblem(n) === null) expect(VolumeName.safeParse(n).success, n).toBe(true);
  });

  it("accepts file names, refuses paths, dots, control characters and long names without rewriting them", () => {
    for (const ok of ["debian-12.iso", "disk 1.qcow2", "a.b", "x".repeat(200), "ünïcode.img"]) expect(volumeNameProblem(ok)).toBeNull();
    for (const bad of ["", "../x", "a/b", "a\\b", "..", "a..b", ".hidden", "tab\there", "del\u007f", "x".repeat(201), " lead.iso", "trail.iso "])
      expect(volumeNameProblem(bad), JSON.stringify(bad)).not.toBeNull();
  });
});
