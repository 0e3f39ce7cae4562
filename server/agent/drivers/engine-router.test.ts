// One agent with libvirt and KubeVirt: the server must see ONE inventory holding both
// engines' machines (it replaces the host's list with each inventory), and domain calls
// must go to the engine that owns the uuid.
import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { DomainSummary, type AgentEvent } from "../../protocol";
import { EngineRouter } from "./engine-router";
import type { HypervisorDriver } from "./driver";
import type { KubevirtDriver } from "./kubevirt/kubevirt-driver";

const row = (uuid: string, engine: "libvirt" | "kubevirt"): DomainSummary =>
  DomainSummary.parse({
    uuid,
    engine,
    name: uuid.slice(0, 8),
    id: -1,
    state: "shutoff",
    stateReason: 0,
    vcpus: 1,
    memoryKiB: 1024,
    maxMemoryKiB: 1024,
    autostart: false,
    persistent: true,
    virtType: "qemu",
    osType: "hvm",
    graphics: [],
    serials: [],
    disks: [],
    nics: [],
  });
const L = "11111111-1111-4111-8111-111111111111";
const K = "22222222-2222-4222-8222-222222222222";

function fake(engine: "libvirt" | "kubevirt", uuids: string[]) {
  const ee = new EventEmitter();
  const calls: string[] = [];
  const d = {
    connected: true,
    onEvent: (l: (e: AgentEvent) => void) => ee.on("e", l),
    emit: (e: AgentEvent) => ee.emit("e", e),
    owns: (u: string) => uuids.includes(u),
    listDomains: async () => uuids.map((u) => row(u, engine)),
    resync: async (send: (e: AgentEvent) => void) => send({ kind: "domain.inventory", domains: uuids.map((u) => row(u, engine)) }),
    getDomain: async (u: string) => ({ domain: row(u, engine), xml: "" }),
    domainAction: async (u: string, a: string) => {
      calls.push(`${a} ${u}`);
      return row(u, engine);
    },
    domainStats: async (u: readonly string[] | null) => {
      calls.push(`stats ${u === null ? "all" : u.join(",")}`);
      return [];
    },
    calls,
  };
  return d;
}

describe("EngineRouter", () => {
  it("merges each engine's inventory with the other's last one", () => {
    const lv = fake("libvirt", [L]);
    const kv = fake("kubevirt", [K]);
    const router = new EngineRouter(lv as unknown as HypervisorDriver, kv as unknown as KubevirtDriver);
    const out: AgentEvent[] = [];
    router.onEvent((e) => out.push(e));
    lv.emit({ kind: "domain.inventory", domains: [row(L, "libvirt")] });
    kv.emit({ kind: "domain.inventory", domains: [row(K, "kubevirt")] });
    // A libvirtd restart sends libvirt's inventory again: the KubeVirt rows stay in it.
    lv.emit({ kind: "domain.inventory", domains: [] });
    kv.emit({ kind: "domain.changed", cause: "vm-modified", domain: row(K, "kubevirt") });
    expect(out.map((e) => (e.kind === "domain.inventory" ? e.domains.map((d) => d.engine) : e.kind))).toEqual([
      ["libvirt"],
      ["libvirt", "kubevirt"],
      ["kubevirt"],
      "domain.changed",
    ]);
  });

  it("routes domain calls by owner; resync sends one merged inventory; statistics only for libvirt uuids", async () => {
    const lv = fake("libvirt", [L]);
    const kv = fake("kubevirt", [K]);
    const router = new EngineRouter(lv as unknown as HypervisorDriver, kv as unknown as KubevirtDriver);
    await router.domainAction(K, "start", {});
    await router.domainAction(L, "start", {});
    expect(kv.calls).toEqual([`start ${K}`]);
    expect(lv.calls).toEqual([`start ${L}`]);
    expect((await router.getDomain(K)).domain.engine).toBe("kubevirt");
    const sent: AgentEvent[] = [];
    await router.resync((e) => sent.push(e));
    expect(sent.map((e) => e.kind === "domain.inventory" && e.domains.map((d) => d.uuid))).toEqual([[L, K]]);
    expect(await router.domainStats([K])).toEqual([]);
    await router.domainStats([L, K]);
    expect(lv.calls.at(-1)).toBe(`stats ${L}`);
  });
});
