import { describe, expect, it } from "vitest";
import { DriverError } from "../drivers/driver";
import { parseOvf, unitBytes } from "./ovf-parser";
import { virtualBoxOvf, vmwareOvf } from "./testing/ovf-samples";

function refusal(xml: string): DriverError {
  try {
    parseOvf(xml);
  } catch (err) {
    if (err instanceof DriverError) return err;
    throw err;
  }
  throw new Error("parseOvf accepted it");
}

describe("parseOvf", () => {
  it("reads a VMware export: name, vCPUs, MiB, NIC with network and model, BIOS, the disk file", () => {
    expect(parseOvf(vmwareOvf())).toEqual({
      name: "web-01",
      vcpus: 2,
      memoryMiB: 256,
      nics: [{ network: "VM Network", model: "VmxNet3" }],
      firmware: "bios",
      disks: [{ file: "disk1.vmdk", capacity: 64 * 2 ** 20 }],
    });
  });

  it("reads vmw:Config firmware=efi as EFI", () => {
    expect(parseOvf(vmwareOvf({ efi: true })).firmware).toBe("efi");
  });

  it("reads a VirtualBox export: ovf: prefixes, MegaBytes, E1000 on NAT, /disk/ host resource, capacity in bytes", () => {
    expect(parseOvf(virtualBoxOvf())).toEqual({
      name: "alpine",
      vcpus: 1,
      memoryMiB: 1024,
      nics: [{ network: "NAT", model: "E1000" }],
      firmware: "bios",
      disks: [{ file: "alpine-disk001.vmdk", capacity: 2147483648 }],
    });
  });

  it("reads VirtualBox's <Firmware type=EFI> inside vbox:Machine", () => {
    expect(parseOvf(virtualBoxOvf({ efi: true })).firmware).toBe("efi");
  });

  it("several NICs keep their order; no NIC gives an empty list", () => {
    expect(parseOvf(vmwareOvf({ nics: ["lan", "dmz"] })).nics.map((n) => n.network)).toEqual(["lan", "dmz"]);
    expect(parseOvf(vmwareOvf({ nics: [] })).nics).toEqual([]);
  });

  it("converts memory units: GiB, plain bytes, byte * 1024^2, KiloBytes (rounded up to MiB)", () => {
    expect(parseOvf(vmwareOvf({ memory: "2", memoryUnits: "byte * 2^30" })).memoryMiB).toBe(2048);
    expect(parseOvf(vmwareOvf({ memory: String(512 * 2 ** 20), memoryUnits: "byte" })).memoryMiB).toBe(512);
    expect(parseOvf(vmwareOvf({ memory: "128", memoryUnits: "byte*1024^2" })).memoryMiB).toBe(128);
    expect(parseOvf(vmwareOvf({ memory: "1500", memoryUnits: "KiloBytes" })).memoryMiB).toBe(2);
    expect(unitBytes("MB")).toBe(2 ** 20);
    expect(unitBytes("furlongs")).toBeNull();
  });

  it("missing CPU and memory items are null (the importer's defaults apply), not an error", () => {
    const xml = vmwareOvf()
      .replace(/<Item>\s*<rasd:AllocationUnits>hertz[\s\S]*?<\/Item>/, "")
      .replace(/<Item>\s*<rasd:AllocationUnits>byte[\s\S]*?<\/Item>/, "");
    const f = parseOvf(xml);
    expect(f.vcpus).toBeNull();
    expect(f.memoryMiB).toBeNull();
    expect(f.disks).toHaveLength(1);
  });

  it("a name falls back to the VirtualSystem id", () => {
    expect(parseOvf(vmwareOvf().replace("<Name>web-01</Name>", "")).name).toBe("web-01");
  });

  it("refuses text that is not XML, naming ovf", () => {
    const e = refusal("this is <not xml");
    expect(e.code).toBe("invalid_input");
    expect(e.message).toMatch(/^ovf: not well-formed XML/);
    expect(refusal(vmwareOvf().replace("</VirtualSystem>", "")).message).toMatch(/^ovf: /);
  });

  it("refuses XML that is not an OVF envelope, or one without VirtualSystem / hardware", () => {
    expect(refusal("<?xml version='1.0'?><html><body/></html>").message).toMatch(/^ovf: .*Envelope/);
    expect(refusal(vmwareOvf().replace(/<VirtualSystem[\s\S]*<\/VirtualSystem>/, "")).message).toMatch(/^ovf\.VirtualSystem: /);
    expect(refusal(vmwareOvf().replace(/<VirtualHardwareSection>[\s\S]*<\/VirtualHardwareSection>/, "")).message).toMatch(
      /^ovf\.VirtualHardwareSection: /,
    );
  });

  it("refuses memory that is not a number, or in units it does not know, naming ovf.memory", () => {
    for (const m of ["lots", "-5", "0", "1.5", "0x100", ""]) expect(refusal(vmwareOvf({ memory: m })).message, m).toMatch(/^ovf\.memory: /);
    expect(refusal(vmwareOvf({ memoryUnits: "furlongs" })).message).toMatch(/^ovf\.memory: AllocationUnits "furlongs"/);
  });

  it("refuses vCPUs that are not a whole number, naming ovf.vcpus", () => {
    for (const v of ["two", "0", "99999"]) expect(refusal(vmwareOvf({ vcpus: v })).message, v).toMatch(/^ovf\.vcpus: /);
  });

  it("refuses a disk item that points at no disk, or a disk whose file is not in References, naming ovf.disks", () => {
    expect(refusal(vmwareOvf().replace("ovf:/disk/vmdisk1", "ovf:/disk/vmdisk9")).message).toMatch(/^ovf\.disks: .*vmdisk9/);
    expect(refusal(vmwareOvf().replace('ovf:fileRef="file1"', 'ovf:fileRef="file7"')).message).toMatch(/^ovf\.disks: .*file7/);
    expect(refusal(vmwareOvf().replace('ovf:capacity="64"', 'ovf:capacity="big"')).message).toMatch(/^ovf\.disks: /);
  });

  it("entities stay text (no expansion surprises) and a huge descriptor is refused", () => {
    expect(parseOvf(vmwareOvf({ name: "a&amp;b" })).name).toBe("a&b");
    expect(refusal(" ".repeat(1024 * 1024 + 1)).message).toMatch(/^ovf: .*larger/);
  });
});

describe("parseManifest", () => {
  it("reads ovftool's and VirtualBox's SHA1/SHA256 lines, file names without './'", async () => {
    const { parseManifest } = await import("./ova");
    const m = parseManifest("SHA256(vm.ovf)= AB12\r\nSHA1(./disk1.vmdk)=cd34\nnot a line\n");
    expect(m.get("vm.ovf")).toEqual({ algorithm: "sha256", hex: "ab12" });
    expect(m.get("disk1.vmdk")).toEqual({ algorithm: "sha1", hex: "cd34" });
    expect(m.size).toBe(2);
  });
});
