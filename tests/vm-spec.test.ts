// What a VM's name and texts may be: any Unicode (markup characters, quotes, emoji) except
// what libvirt refuses ('/') or XML cannot hold (control characters), within 200
// characters and the 240 bytes that libvirt's file names leave.
import { describe, expect, it } from "vitest";
import { VmDescription, VmName, VmSpec, VmTitle } from "../server/protocol/vm-spec";

const ok = (s: unknown, v: unknown) => (s as typeof VmName).safeParse(v).success;

describe("VmSpec", () => {
  it("names: any Unicode in 1-200 characters, no '/', no control characters, no outer spaces", () => {
    for (const n of ["a", `<b>&amp;"'`, "🚀😀 Grüße 漢字", "x".repeat(200), "a  b"]) expect(ok(VmName, n), n).toBe(true);
    for (const n of ["", "a/b", "a\u0001b", "a\nb", "tab\there", "\u0085next", "x".repeat(201), " lead", "trail ", "\ud800lone"])
      expect(ok(VmName, n), JSON.stringify(n)).toBe(false);
    // 60 emoji are 240 bytes of UTF-8; 61 would make libvirt's <name>.log too long a file name.
    expect(ok(VmName, "😀".repeat(60))).toBe(true);
    expect(ok(VmName, "😀".repeat(61))).toBe(false);
  });

  it("descriptions keep line breaks and tabs but no CR or other controls; titles are one line", () => {
    expect(ok(VmDescription, "a\n\tb <&> 🚀")).toBe(true);
    expect(ok(VmDescription, "a\r\nb")).toBe(false);
    expect(ok(VmDescription, "a\u0000b")).toBe(false);
    expect(ok(VmDescription, "d".repeat(4097))).toBe(false);
    expect(ok(VmTitle, "one line <&>")).toBe(true);
    expect(ok(VmTitle, "two\nlines")).toBe(false);
  });

  it("fills defaults and refuses unknown fields, odd disk sizes and a tiny memory, naming the field", () => {
    const base = { name: "vm", vcpus: 1, memoryMiB: 64, boot: { kind: "disk" }, disk: { kind: "none" }, network: { kind: "none" } };
    expect(VmSpec.parse(base)).toMatchObject({ title: "", description: "", firmware: "bios", startNow: true });
    const paths = (v: unknown) =>
      VmSpec.safeParse(v).error?.issues.map((i) => (i.path.length ? i.path.join(".") : (i as { keys?: string[] }).keys?.join())) ?? [];
    expect(paths({ ...base, evil: 1 })).toEqual(["evil"]);
    expect(paths({ ...base, memoryMiB: 63 })).toEqual(["memoryMiB"]);
    expect(paths({ ...base, disk: { kind: "new", pool: "p", sizeBytes: 1048577, format: "qcow2" } })).toEqual(["disk.sizeBytes"]);
    expect(paths({ ...base, boot: { kind: "kernel", kernel: "/boot/../etc/k", initrd: null, cmdline: "" } })).toEqual(["boot.kernel"]);
  });
});
