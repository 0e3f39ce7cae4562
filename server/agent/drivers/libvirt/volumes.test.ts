// The XML the volume code writes and reads, without libvirt (the integration tests check
// what libvirt makes of it: tests/integration/volumes.test.ts).
import { XMLParser } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { VolumeName } from "../../../protocol";
import { diskReferences } from "./volume-users";
import { volumeFormat, volumeXml } from "./volumes";

describe("volume XML", () => {
  it("writes qcow2 with compat 1.1, thin, sizes in bytes; a name with XML's special characters stays text", () => {
    const xml = volumeXml(`a<&'">b.qcow2`, "qcow2", 10 * 1024 ** 3);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@" }).parse(xml) as {
      volume: {
        name: string;
        allocation: number;
        capacity: { "@unit": string; "#text": number };
        target: { format: { "@type": string }; compat: number };
      };
    };
    expect(doc.volume.name).toBe(`a<&'">b.qcow2`);
    expect(doc.volume.allocation).toBe(0);
    expect(doc.volume.capacity).toEqual({ "@unit": "bytes", "#text": 10 * 1024 ** 3 });
    expect(doc.volume.target.format["@type"]).toBe("qcow2");
    expect(String(doc.volume.target.compat)).toBe("1.1");
    expect(volumeXml("x.raw", "raw", 1)).not.toContain("compat");
  });

  it("reads the format libvirt probed; a raw file named .iso is an ISO", () => {
    const v = (t: string) => `<volume><target><format type='${t}'/></target></volume>`;
    expect(volumeFormat(v("qcow2"), "a")).toBe("qcow2");
    expect(volumeFormat(v("raw"), "a.img")).toBe("raw");
    expect(volumeFormat(v("raw"), "debian.ISO")).toBe("iso");
    expect(volumeFormat(v("iso"), "x")).toBe("iso");
    expect(volumeFormat(v("vmdk"), "x")).toBe("unknown");
    expect(volumeFormat("<volume/>", "x")).toBe("unknown");
  });

  it("finds disk paths and pool volumes in a domain's XML", () => {
    const xml = `<domain><devices>
      <disk type='file'><source file='/p/a.qcow2'/></disk>
      <disk type='block'><source dev='/dev/vg/b'/></disk>
      <disk type='volume'><source pool='fast' volume='c.raw'/></disk>
      <disk type='file' device='cdrom'><target dev='sda'/></disk>
    </devices></domain>`;
    expect(diskReferences(xml)).toEqual({ paths: ["/p/a.qcow2", "/dev/vg/b"], volumes: ["fast/c.raw"] });
    expect(diskReferences("<domain><devices/></domain>")).toEqual({ paths: [], volumes: [] });
  });
});

describe("VolumeName", () => {
  it("refuses '/', '..', control characters, more than 200 characters, blank", () => {
    for (const bad of ["../x", "a/b", "..", ".", "a\u0001b", "a\nb", "x".repeat(201), "", " x", "x "])
      expect(VolumeName.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    for (const good of ["disk.qcow2", "debian-12.5 netinst.iso", "x".repeat(200), "ünïcode.img"])
      expect(VolumeName.safeParse(good).success, good).toBe(true);
  });
});
