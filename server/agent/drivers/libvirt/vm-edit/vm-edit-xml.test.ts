// The pure parts of VM edits: device XML built from values (escaped, never pasted), the
// ordered round trip of a definition, target and volume-name derivation.
import { describe, expect, it } from "vitest";
import { diskNode, findNic, nextTarget, nicNode, withChild } from "./device-xml";
import { derivedVolumeName } from "./clone";
import { hotPlugged } from "./snapshots";
import { memKiB, newVolumeXml } from "./changes";
import { buildOne, buildTree, child, domainNode, el, parseTree } from "./xml-tree";

describe("vm-edit XML", () => {
  it("builds device XML with the values escaped", () => {
    expect(buildOne(diskNode({ device: "cdrom", path: "/p/<a&'b\">.iso", format: "raw", target: "sda", bus: "sata" }))).toBe(
      `<disk type="file" device="cdrom"><driver name="qemu" type="raw"/><source file="/p/&lt;a&amp;&apos;b&quot;&gt;.iso"/><target dev="sda" bus="sata"/><readonly/></disk>`,
    );
    expect(buildOne(nicNode("default", "virtio"))).toBe(`<interface type="network"><source network="default"/><model type="virtio"/></interface>`);
  });

  it("round-trips a definition in order and finds a NIC by MAC, any case", () => {
    const xml = `<domain type='qemu'><name>a&amp;b</name><uuid>u</uuid><description>x &lt;y&gt;</description><devices><interface type='network'><mac address='52:54:00:AA:bb:01'/><source network='default'/></interface></devices></domain>`;
    const tree = parseTree(xml);
    const d = domainNode(tree);
    const nic = findNic(d, "52:54:00:aa:BB:01")!;
    expect(buildOne(withChild(nic, el("link", { state: "down" })))).toContain(`<link state="down"/>`);
    expect(buildTree(tree)).toBe(
      `<domain type="qemu"><name>a&amp;b</name><uuid>u</uuid><description>x &lt;y&gt;</description><devices><interface type="network"><mac address="52:54:00:AA:bb:01"/><source network="default"/></interface></devices></domain>`,
    );
    expect(child(d, "uuid")).toBeDefined();
  });

  it("picks the next free target per bus", () => {
    expect(nextTarget(["vda", "vdb", "sda"], "virtio")).toBe("vdc");
    expect(nextTarget(["vda", "sda"], "sata")).toBe("sdb");
    expect(
      nextTarget(
        Array.from({ length: 26 }, (_, i) => `vd${String.fromCharCode(97 + i)}`),
        "virtio",
      ),
    ).toBe("vdaa");
  });

  it("derives clone volume names from the machine's name, else prefixes target", () => {
    expect(derivedVolumeName("web-1-root.qcow2", "web-1", "web-2", "vda")).toBe("web-2-root.qcow2");
    expect(derivedVolumeName("disk0.img", "web-1", "web-2", "vdb")).toBe("web-2-vdb.img");
  });

  it("reads memory sizes in any unit and writes qcow2 as compat 1.1", () => {
    expect(memKiB(el("memory", { unit: "MiB" }, [{ "#text": "192" }]))).toBe(196608n);
    expect(memKiB(el("memory", {}, [{ "#text": "65536" }]))).toBe(65536n);
    expect(newVolumeXml("x.qcow2", 1048576, "qcow2")).toBe(
      `<volume><name>x.qcow2</name><capacity unit="bytes">1048576</capacity><target><format type="qcow2"/><compat>1.1</compat></target></volume>`,
    );
  });
});

describe("hotPlugged", () => {
  const live = (vcpus: string) => `<domain type='qemu'><name>x</name><vcpu placement='static' current='2'>2</vcpu><vcpus>${vcpus}</vcpus></domain>`;
  it("sees a vCPU plugged in after start, not the boot vCPUs nor an unplugged slot", () => {
    expect(
      hotPlugged(live("<vcpu id='0' enabled='yes' hotpluggable='no' order='1'/><vcpu id='1' enabled='yes' hotpluggable='yes' order='2'/>")),
    ).toBe(true);
    expect(hotPlugged(live("<vcpu id='0' enabled='yes' hotpluggable='no' order='1'/><vcpu id='1' enabled='no' hotpluggable='yes'/>"))).toBe(false);
    expect(hotPlugged("<domain type='qemu'><name>x</name><vcpu>1</vcpu></domain>")).toBe(false);
  });
});
