// qemu-img as the agent runs it: progress parsed from its real -p output, info refusing what
// it cannot read as the stated format.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { convertToQcow2, imageInfo, parseProgress, QemuImgError } from "./qemu-img";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hx-f-qimg-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("qemu-img", () => {
  it("parses qemu-img -p redraws", () => {
    expect(parseProgress("    (0.00/100%)\r    (1.01/100%)\r    (100.00/100%)\r\n")).toEqual([0, 1.01, 100]);
    expect(parseProgress("no progress here")).toEqual([]);
  });

  it("converts a VDI to qcow2 compat 1.1, reporting progress up to 100", async () => {
    const src = path.join(dir, "a.vdi");
    execFileSync("qemu-img", ["create", "-q", "-f", "vdi", src, "16M"]);
    execFileSync("qemu-io", ["-f", "vdi", "-c", "write -P 0xab 1M 64k", src]);
    const seen: number[] = [];
    const dst = path.join(dir, "a.qcow2");
    await convertToQcow2(src, "vdi", dst, (p) => seen.push(p));
    expect(seen.at(-1)).toBe(100);
    const info = JSON.parse(execFileSync("qemu-img", ["info", "--output=json", dst], { encoding: "utf8" }));
    expect(info).toMatchObject({ format: "qcow2", "virtual-size": 16 * 2 ** 20, "format-specific": { data: { compat: "1.1" } } });
    expect(execFileSync("qemu-io", ["-f", "qcow2", "-c", "read -P 0xab 1M 64k", dst], { encoding: "utf8" })).not.toMatch(/fail/i);
  });

  it("refuses a file that is not the stated format, with qemu-img's reason", async () => {
    const f = path.join(dir, "junk");
    fs.writeFileSync(f, Buffer.alloc(4096, 1));
    await expect(imageInfo(f, "vmdk")).rejects.toBeInstanceOf(QemuImgError);
    await expect(convertToQcow2(f, "vdi", path.join(dir, "junk.qcow2"))).rejects.toThrow(/./);
  });

  it("reports a qcow2's backing file and a VMDK descriptor's extents", async () => {
    const base = path.join(dir, "base.qcow2");
    execFileSync("qemu-img", ["create", "-q", "-f", "qcow2", base, "8M"]);
    const top = path.join(dir, "top.qcow2");
    execFileSync("qemu-img", ["create", "-q", "-f", "qcow2", "-b", base, "-F", "qcow2", top]);
    expect((await imageInfo(top, "qcow2")).backingFile).toBe(base);
    const flat = path.join(dir, "flat.vmdk");
    execFileSync("qemu-img", ["create", "-q", "-f", "vmdk", "-o", "subformat=monolithicFlat", flat, "8M"]);
    expect((await imageInfo(flat, "vmdk")).extents.map((e) => path.basename(e))).toEqual(["flat-flat.vmdk"]);
  });
});
