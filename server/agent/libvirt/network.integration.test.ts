// Virtual networks against the real libvirtd (HANGAR_LIBVIRT=1): an isolated network
// without IP (only a bridge), and one with a DHCP range, which needs dnsmasq: where the
// host lacks it, starting must fail with an error naming dnsmasq and leave nothing behind.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import fs from "node:fs";
import { labSuite } from "../../../tests/helpers/lab";
import { EventLog } from "./testing/event-log";
import {
  ErrorCode,
  LibvirtClient,
  LibvirtError,
  ListNetworksFlags,
  NetworkEventId,
  NetworkLifecycleEvent,
  NetworkXmlFlags,
  interfaceGetXmlDesc,
  interfaceList,
  registerNetworkEvent,
  networkCreate,
  networkDefineXml,
  networkDestroy,
  networkGetAutostart,
  networkGetBridgeName,
  networkGetDhcpLeases,
  networkGetXmlDesc,
  networkIsActive,
  networkIsPersistent,
  networkList,
  networkLookupByName,
  networkLookupByUuid,
  networkSetAutostart,
  networkUndefine,
} from "./index";

const hex = () => randomBytes(3).toString("hex");

function bridgeExists(name: string): boolean {
  try {
    execFileSync("ip", ["link", "show", name], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

function hasDnsmasq(): boolean {
  try {
    execFileSync("sh", ["-c", "command -v dnsmasq"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

async function errorOf(p: Promise<unknown>): Promise<LibvirtError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(LibvirtError);
  return e as LibvirtError;
}

labSuite("libvirt", "virtual networks over libvirt RPC", () => {
  const client = new LibvirtClient();
  const events = new EventLog(client, "network-lifecycle");
  const netEvent = (name: string, event: number) => events.waitFor((e) => e.net.name === name && e.event === event, `${name} ${event}`);

  beforeAll(async () => {
    await client.connect();
    await registerNetworkEvent(client, NetworkEventId.LIFECYCLE);
  });

  afterAll(async () => {
    for (const net of await networkList(client)) {
      if (!net.name.startsWith("hangar-h8-")) continue;
      await networkDestroy(client, net).catch(() => undefined);
      await networkUndefine(client, net).catch(() => undefined);
    }
    await client.close();
  });

  it("defines, starts, stops and undefines an isolated network and its bridge", async () => {
    const name = `hangar-h8-iso-${hex()}`;
    // Linux bridge names are limited to 15 characters.
    const bridge = `hh8${hex()}`;
    const net = await networkDefineXml(client, `<network><name>${name}</name><bridge name='${bridge}'/></network>`);
    expect(net.name).toBe(name);
    expect((await netEvent(name, NetworkLifecycleEvent.DEFINED)).net).toEqual(net);
    expect(await networkLookupByName(client, name)).toEqual(net);
    expect(await networkLookupByUuid(client, net.uuid)).toEqual(net);
    expect((await networkList(client, ListNetworksFlags.INACTIVE)).map((n) => n.uuid)).toContain(net.uuid);
    expect(await networkIsPersistent(client, net)).toBe(true);
    expect(await networkIsActive(client, net)).toBe(false);
    expect(bridgeExists(bridge)).toBe(false);

    await networkCreate(client, net);
    await netEvent(name, NetworkLifecycleEvent.STARTED);
    expect(await networkIsActive(client, net)).toBe(true);
    expect(bridgeExists(bridge)).toBe(true);
    expect(await networkGetBridgeName(client, net)).toBe(bridge);
    expect((await networkList(client, ListNetworksFlags.ACTIVE)).map((n) => n.name)).toContain(name);
    const xml = await networkGetXmlDesc(client, net);
    expect(xml).toContain(`<uuid>${net.uuid}</uuid>`);
    expect(xml).toContain(`<bridge name='${bridge}'`);
    expect(await networkGetXmlDesc(client, net, NetworkXmlFlags.INACTIVE)).toContain(`<name>${name}</name>`);
    // No IP range: no dnsmasq, no leases.
    expect(await networkGetDhcpLeases(client, net)).toEqual([]);

    expect(await networkGetAutostart(client, net)).toBe(false);
    await networkSetAutostart(client, net, true);
    expect(await networkGetAutostart(client, net)).toBe(true);
    await networkSetAutostart(client, net, false);
    expect(await networkGetAutostart(client, net)).toBe(false);

    await networkDestroy(client, net);
    await netEvent(name, NetworkLifecycleEvent.STOPPED);
    expect(await networkIsActive(client, net)).toBe(false);
    expect(bridgeExists(bridge)).toBe(false);
    await networkUndefine(client, net);
    await netEvent(name, NetworkLifecycleEvent.UNDEFINED);
    expect((await errorOf(networkLookupByName(client, name))).code).toBe(ErrorCode.NO_NETWORK);
  });

  it("starts a network with a DHCP range where dnsmasq exists, else fails naming dnsmasq", async () => {
    const name = `hangar-h8-dhcp-${hex()}`;
    const bridge = `hh8${hex()}`;
    const net = await networkDefineXml(
      client,
      `<network><name>${name}</name><bridge name='${bridge}'/><ip address='10.213.7.1' netmask='255.255.255.0'><dhcp><range start='10.213.7.10' end='10.213.7.20'/></dhcp></ip></network>`,
    );
    const xml = await networkGetXmlDesc(client, net);
    expect(xml).toContain("<range start='10.213.7.10' end='10.213.7.20'");

    if (hasDnsmasq()) {
      await networkCreate(client, net);
      expect(await networkIsActive(client, net)).toBe(true);
      // No guest has asked for an address yet.
      expect(await networkGetDhcpLeases(client, net)).toEqual([]);
      await networkDestroy(client, net);
    } else {
      const err = await errorOf(networkCreate(client, net));
      expect(err.message).toMatch(/dnsmasq/);
      // Nothing half-started: inactive, and the bridge was taken down again.
      expect(await networkIsActive(client, net)).toBe(false);
      expect(bridgeExists(bridge)).toBe(false);
    }
    await networkUndefine(client, net);
    expect((await errorOf(networkLookupByName(client, name))).code).toBe(ErrorCode.NO_NETWORK);
  });

  it("lists the host's interfaces with their type, for bridge NICs", async () => {
    const ifaces = await interfaceList(client);
    const names = ifaces.map((i) => i.name);
    expect(names).toContain("lo");
    // Every interface libvirt names exists in the kernel, with the same MAC.
    for (const i of ifaces) {
      expect(fs.existsSync(`/sys/class/net/${i.name}`)).toBe(true);
      expect(i.mac).toBe(fs.readFileSync(`/sys/class/net/${i.name}/address`, "utf8").trim());
    }
    const lo = ifaces.find((i) => i.name === "lo")!;
    expect(await interfaceGetXmlDesc(client, lo)).toMatch(/<interface type='ethernet' name='lo'>/);
  });
});
