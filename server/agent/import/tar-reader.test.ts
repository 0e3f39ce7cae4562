// The tar reader against archives GNU tar writes (ustar, GNU long names, pax).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { open } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { listTar, TarError, tarNumber } from "./tar-reader";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hx-f-tar-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function list(tar: string) {
  const fh = await open(tar, "r");
  try {
    return await listTar(fh, (await fh.stat()).size);
  } finally {
    await fh.close();
  }
}

describe("listTar", () => {
  it.each(["ustar", "gnu", "pax"])("reads names, sizes and data offsets of a %s archive", async (fmt) => {
    const src = path.join(dir, `src-${fmt}`);
    fs.mkdirSync(src, { recursive: true });
    fs.writeFileSync(path.join(src, "vm.ovf"), "<Envelope/>");
    const long = "d".repeat(120) + ".vmdk";
    fs.writeFileSync(path.join(src, "disk1.vmdk"), Buffer.alloc(3000, 7));
    if (fmt !== "ustar") fs.writeFileSync(path.join(src, long), "x");
    const tar = path.join(dir, `${fmt}.tar`);
    execFileSync("tar", ["--format", fmt, "-C", src, "-cf", tar, "vm.ovf", "disk1.vmdk", ...(fmt !== "ustar" ? [long] : [])]);
    const entries = await list(tar);
    expect(entries.map((e) => e.name)).toEqual(["vm.ovf", "disk1.vmdk", ...(fmt !== "ustar" ? [long] : [])]);
    const bytes = fs.readFileSync(tar);
    const ovf = entries[0]!;
    expect(bytes.subarray(ovf.offset, ovf.offset + ovf.size).toString()).toBe("<Envelope/>");
    expect(entries[1]).toMatchObject({ size: 3000, file: true });
    expect(bytes.subarray(entries[1]!.offset, entries[1]!.offset + 3000).every((b) => b === 7)).toBe(true);
  });

  it("refuses a truncated archive and a corrupted header", async () => {
    const src = path.join(dir, "t");
    fs.mkdirSync(src, { recursive: true });
    fs.writeFileSync(path.join(src, "a.ovf"), Buffer.alloc(5000, 1));
    const tar = path.join(dir, "t.tar");
    execFileSync("tar", ["-C", src, "-cf", tar, "a.ovf"]);
    const cut = path.join(dir, "cut.tar");
    fs.writeFileSync(cut, fs.readFileSync(tar).subarray(0, 2048));
    await expect(list(cut)).rejects.toThrow(/past the end/);
    const bad = path.join(dir, "bad.tar");
    const b = fs.readFileSync(tar);
    b[10] = b[10]! ^ 0xff;
    fs.writeFileSync(bad, b);
    await expect(list(bad)).rejects.toBeInstanceOf(TarError);
  });

  it("reads octal and GNU base-256 sizes", () => {
    expect(tarNumber(Buffer.from("00000001750\0"), 0, 12)).toBe(1000);
    const b256 = Buffer.alloc(12);
    b256[0] = 0x80;
    b256.writeUIntBE(2 ** 40, 6, 6);
    expect(tarNumber(b256, 0, 12)).toBe(2 ** 40);
  });
});
