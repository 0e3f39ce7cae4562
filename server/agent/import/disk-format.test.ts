// The detector against images qemu-img itself writes (not hand-made headers), plus the files
// people upload by mistake.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { detectFormat, HEAD_BYTES } from "./disk-format";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hx-f-detect-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function ends(file: string) {
  const b = fs.readFileSync(file);
  return detectFormat(b.subarray(0, HEAD_BYTES), b.length >= 1024 ? b.subarray(b.length - 512) : Buffer.alloc(0), b.length);
}

function image(format: string, opts: string[] = []): string {
  const f = path.join(dir, `img-${format}-${opts.join("").replace(/\W/g, "")}`);
  execFileSync("qemu-img", ["create", "-q", "-f", format, ...opts, f, "8M"]);
  return f;
}

describe("detectFormat on qemu-img's own images", () => {
  it.each([
    ["vmdk", [], "vmdk"],
    ["vmdk", ["-o", "subformat=streamOptimized"], "vmdk"],
    ["vdi", [], "vdi"],
    ["vhdx", [], "vhdx"],
    ["vpc", [], "vpc"],
    ["vpc", ["-o", "subformat=fixed"], "vpc"],
    ["qcow2", [], "qcow2"],
    ["raw", [], "raw"],
  ] as const)("%s %j is %s", (fmt, opts, want) => {
    expect(ends(image(fmt, [...opts]))).toEqual({ format: want });
  });

  it("a VMDK descriptor file (monolithicFlat) is vmdk by its '# Disk DescriptorFile' text", () => {
    const f = image("vmdk", ["-o", "subformat=monolithicFlat"]);
    expect(fs.readFileSync(f, "latin1").startsWith("# Disk DescriptorFile")).toBe(true);
    expect(ends(f)).toEqual({ format: "vmdk" });
  });

  it("a tar is an OVA candidate (its first entry is checked by the OVA reader)", () => {
    fs.writeFileSync(path.join(dir, "x.ovf"), "<Envelope/>");
    const tar = path.join(dir, "x.ova");
    execFileSync("tar", ["-C", dir, "-cf", tar, "x.ovf"]);
    expect(ends(tar)).toEqual({ format: "ova" });
  });
});

describe("detectFormat refusals", () => {
  it("refuses empty files, gzip, xz, zip and a bare .ovf, saying what it found", () => {
    expect(detectFormat(Buffer.alloc(0), Buffer.alloc(0), 0)).toMatchObject({ format: null, why: "the file is empty" });
    const gz = path.join(dir, "a.gz");
    fs.writeFileSync(path.join(dir, "a"), Buffer.alloc(4096));
    execFileSync("gzip", ["-kf", path.join(dir, "a")]);
    expect(ends(gz)).toMatchObject({ format: null, why: expect.stringContaining("gzip") });
    const xz = Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0, 0]);
    expect(detectFormat(Buffer.concat([xz, Buffer.alloc(504)]), Buffer.alloc(0), 512)).toMatchObject({ why: expect.stringContaining("xz") });
    const zip = Buffer.concat([Buffer.from("PK\x03\x04", "latin1"), Buffer.alloc(508)]);
    expect(detectFormat(zip, Buffer.alloc(0), 512)).toMatchObject({ why: expect.stringContaining("zip") });
    const ovf = Buffer.from('<?xml version="1.0"?><Envelope>' + " ".repeat(480), "latin1");
    expect(detectFormat(ovf, Buffer.alloc(0), 512)).toMatchObject({ why: expect.stringContaining("XML") });
  });

  it("refuses as raw anything that is not whole 512-byte sectors", () => {
    expect(detectFormat(Buffer.from("hello world\n"), Buffer.alloc(0), 12)).toMatchObject({ format: null, why: expect.stringContaining("sectors") });
  });

  it("'<<< ' without VirtualBox's signature at 0x40 is not a VDI", () => {
    const b = Buffer.concat([Buffer.from("<<< not really >>>", "latin1"), Buffer.alloc(512 - 18)]);
    expect(detectFormat(b, Buffer.alloc(0), 512)).toEqual({ format: "raw" });
  });
});
