// The network spec's checks (what a 422 names) and the XML both ways, without libvirt.
import { XMLParser } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { NetworkDefineSpec } from "../../../protocol";
import { networkXml, parseNetworkXml } from "./network-xml";

const nat = { name: "n1", mode: "nat", address: "192.168.120.1", prefix: 24, dhcpStart: "192.168.120.2", dhcpEnd: "192.168.120.254" };
const fieldsOf = (v: unknown) => {
  const r = NetworkDefineSpec.safeParse(v);
  return r.success ? [] : r.error.issues.map((i) => i.path.join("."));
};

describe("NetworkDefineSpec", () => {
  it("accepts NAT, isolated with or without DHCP, and bridge specs", () => {
    expect(fieldsOf(nat)).toEqual([]);
    expect(fieldsOf({ name: "i", mode: "isolated", address: "10.0.0.1", prefix: 8 })).toEqual([]);
    expect(fieldsOf({ name: "b", mode: "bridge", bridge: "br0" })).toEqual([]);
  });

  it("names the field that is wrong", () => {
    expect(fieldsOf({ ...nat, name: "a/b" })).toEqual(["name"]);
    expect(fieldsOf({ ...nat, name: "x".repeat(65) })).toEqual(["name"]);
    expect(fieldsOf({ ...nat, prefix: 33 })).toEqual(["prefix"]);
    expect(fieldsOf({ ...nat, address: "192.168.120.255" })).toEqual(["address"]);
    expect(fieldsOf({ ...nat, dhcpStart: "192.168.121.2" })).toEqual(["dhcpStart"]);
    expect(fieldsOf({ ...nat, dhcpEnd: "192.168.120.255" })).toEqual(["dhcpEnd"]);
    expect(fieldsOf({ ...nat, dhcpStart: "192.168.120.9", dhcpEnd: "192.168.120.3" })).toEqual(["dhcpEnd"]);
    expect(fieldsOf({ ...nat, dhcpStart: "192.168.120.1" })).toEqual(["dhcpStart"]);
    expect(fieldsOf({ ...nat, dhcpEnd: undefined })).toEqual(["dhcpEnd"]);
    expect(fieldsOf({ name: "b", mode: "bridge", bridge: "br 0" })).toEqual(["bridge"]);
    expect(fieldsOf({ name: "b", mode: "bridge", bridge: "sixteen-chars-xx" })).toEqual(["bridge"]);
    // A /30 holds exactly host + one guest.
    expect(fieldsOf({ ...nat, prefix: 30, address: "10.1.1.1", dhcpStart: "10.1.1.2", dhcpEnd: "10.1.1.2" })).toEqual([]);
  });
});

describe("network XML", () => {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@" });

  it("builds NAT with forward and DHCP, isolated without forward, bridge with the host bridge", () => {
    expect(parser.parse(networkXml(NetworkDefineSpec.parse(nat)))).toEqual({
      network: {
        name: "n1",
        forward: { "@mode": "nat" },
        ip: { "@address": "192.168.120.1", "@prefix": "24", dhcp: { range: { "@start": "192.168.120.2", "@end": "192.168.120.254" } } },
      },
    });
    expect(networkXml(NetworkDefineSpec.parse({ name: "i", mode: "isolated", address: "10.0.0.1", prefix: 8 }))).not.toContain("forward");
    expect(parseNetworkXml(networkXml(NetworkDefineSpec.parse({ name: "b", mode: "bridge", bridge: "br0" })))).toEqual({
      mode: "bridge",
      bridge: "br0",
      ipv4: null,
      dhcp: null,
    });
  });

  it("reads libvirt's default network (netmask form) and the IPv4 of a dual-stack network", () => {
    expect(
      parseNetworkXml(
        "<network><name>default</name><forward mode='nat'><nat><port start='1024' end='65535'/></nat></forward><bridge name='virbr0' stp='on' delay='0'/><ip address='192.168.122.1' netmask='255.255.255.0'><dhcp><range start='192.168.122.2' end='192.168.122.254'/></dhcp></ip></network>",
      ),
    ).toEqual({
      mode: "nat",
      bridge: "virbr0",
      ipv4: { address: "192.168.122.1", prefix: 24 },
      dhcp: { start: "192.168.122.2", end: "192.168.122.254" },
    });
    expect(
      parseNetworkXml(
        "<network><name>r</name><forward mode='route'/><ip family='ipv6' address='fd00::1' prefix='64'/><ip address='10.9.0.1' prefix='16'/></network>",
      ),
    ).toMatchObject({ mode: "other", ipv4: { address: "10.9.0.1", prefix: 16 }, dhcp: null });
  });
});
