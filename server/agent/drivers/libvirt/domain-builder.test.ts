// Golden tests of the domain XML builder: each spec plan's XML is compared byte for byte
// with tests/fixtures/golden/domain-<case>.xml (UPDATE_GOLDEN=1 rewrites them after a
// deliberate change; review the diff). Also parses each back to prove the hostile texts
// (markup characters, quotes, emoji, line breaks) come out exactly as they went in.
import fs from "node:fs";
import path from "node:path";
import { XMLParser } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { buildDomainXml, buildVolumeXml, type DomainPlan } from "./domain-builder";

const GOLDEN = path.resolve(import.meta.dirname, "../../../../tests/fixtures/golden");

const base: DomainPlan = {
  virtType: "qemu",
  arch: "x86_64",
  name: "web-1",
  title: "",
  description: "",
  vcpus: 1,
  memoryMiB: 192,
  firmware: "bios",
  kernel: null,
  bootOrder: ["hd"],
  disk: null,
  cdrom: null,
  network: null,
};

const cases: [string, DomainPlan][] = [
  ["minimal-disk-boot", { ...base, disk: { source: { type: "file", path: "/var/lib/libvirt/images/web-1.qcow2" }, format: "qcow2" } }],
  [
    "kernel-boot-test-guest",
    {
      ...base,
      name: "hx-d-guest",
      kernel: { kernel: "/var/lib/hangar-lab/guest/vmlinuz", initrd: "/var/lib/hangar-lab/guest/initrd.gz", cmdline: "console=ttyS0" },
      disk: { source: { type: "file", path: "/tmp/pool/hx-d-guest.qcow2" }, format: "qcow2" },
      network: { name: "default", model: "virtio" },
    },
  ],
  [
    "iso-install-kvm-uefi",
    {
      ...base,
      virtType: "kvm",
      firmware: "uefi",
      vcpus: 4,
      memoryMiB: 4096,
      bootOrder: ["cdrom", "hd"],
      cdrom: { type: "file", path: "/srv/iso/debian-12.iso" },
      disk: { source: { type: "block", path: "/dev/vg0/web-1" }, format: "raw" },
      network: { name: "br-lan", model: "virtio" },
    },
  ],
  // An imported guest keeps the NIC model it has drivers for (OVF's E1000).
  [
    "imported-e1000-nic",
    {
      ...base,
      name: "imported-win",
      vcpus: 2,
      memoryMiB: 2048,
      disk: { source: { type: "volume", pool: "default", volume: "imported-win.qcow2" }, format: "qcow2" },
      network: { name: "default", model: "e1000" },
    },
  ],
  ["pool-volumes", { ...base, cdrom: { type: "volume", pool: "iso", volume: "alpine.iso" }, bootOrder: ["cdrom", "hd"] }],
  [
    "hostile-texts",
    {
      ...base,
      name: `<b>&amp; 'q' "dq" 😀 ]]> --></b>`,
      title: `Tom & Jerry's "lab" <dev>`,
      description: "line one\n  indented <line> & more\n\tend 🚀 ]]>",
      kernel: { kernel: "/boot/k&<'\".img", initrd: null, cmdline: `console=ttyS0 quiet msg="a<b&c"` },
      network: { name: `net'"<&>`, model: "virtio" },
    },
  ],
];

// Parsed documents are walked like JSON in assertions: loose typing is the point there.
/* eslint-disable @typescript-eslint/no-explicit-any */
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  trimValues: false,
  parseTagValue: false,
  parseAttributeValue: false,
});

describe("domain XML builder (golden)", () => {
  for (const [name, plan] of cases)
    it(name, () => {
      const xml = buildDomainXml(plan);
      const file = path.join(GOLDEN, `domain-${name}.xml`);
      if (process.env.UPDATE_GOLDEN === "1") fs.writeFileSync(file, xml);
      expect(xml).toBe(fs.readFileSync(file, "utf8"));
    });

  it("every text and attribute value round-trips exactly through an XML parser", () => {
    const plan = cases.find(([n]) => n === "hostile-texts")![1];
    const d = (parser.parse(buildDomainXml(plan)) as { domain: Record<string, any> }).domain;
    expect(d.name).toBe(plan.name);
    expect(d.title).toBe(plan.title);
    expect(d.description).toBe(plan.description);
    expect(d.os.kernel).toBe(plan.kernel!.kernel);
    expect(d.os.cmdline).toBe(plan.kernel!.cmdline);
    expect(d.devices.interface.source["@network"]).toBe(plan.network!.name);
  });

  it("leaves out what the plan does not have: no title, description, disk, NIC or initrd elements", () => {
    const xml = buildDomainXml({ ...base, kernel: { kernel: "/k", initrd: null, cmdline: "" } });
    for (const tag of ["<title", "<description", "<disk", "<interface", "<initrd", "<cmdline", "<boot ", "<cpu"]) expect(xml).not.toContain(tag);
    expect(xml).toContain("<kernel>/k</kernel>");
  });

  it("VNC listens on loopback only, with a serial console; kvm gets the host's CPU", () => {
    const xml = buildDomainXml({ ...base, virtType: "kvm" });
    expect(xml).toContain('<graphics type="vnc" port="-1" autoport="yes" listen="127.0.0.1">');
    expect(xml).toContain('<listen type="address" address="127.0.0.1"/>');
    expect(xml).toMatch(/<serial type="pty">[\s\S]*<console type="pty">/);
    expect(xml).toContain('<domain type="kvm">');
    expect(xml).toContain('<cpu mode="host-passthrough" check="none"/>');
  });

  it("volume XML: a sparse volume of exact bytes in the asked format", () => {
    const xml = buildVolumeXml("a&b.qcow2", 1073741824, "qcow2");
    const v = (parser.parse(xml) as { volume: Record<string, any> }).volume;
    expect(v.name).toBe("a&b.qcow2");
    expect(v.capacity).toEqual({ "@unit": "bytes", "#text": "1073741824" });
    expect(v.allocation["#text"]).toBe("0");
    expect(v.target.format["@type"]).toBe("qcow2");
  });
});
