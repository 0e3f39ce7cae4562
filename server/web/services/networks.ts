// Virtual network verbs: one per route. Changes run as tasks through TaskService.run (one
// per network name at a time, audited, idempotent); reads go straight to the host's agent
// (networks are not kept in the hub's inventory: they change rarely and are cheap to ask for).
import type { DomainSummary, NetworkActionSpec, NetworkDefineSpec, NetworkSummary } from "../../protocol";
import type { Services } from "../services";
import type { Caller } from "./caller";
import { getHost } from "./hosts";
import { ApiError } from "../http/errors";

/** States with a QEMU process behind them: their NICs lose the link when the network goes. */
const LIVE = new Set<DomainSummary["state"]>(["running", "blocked", "paused", "pmsuspended", "shutdown"]);

/**
 * Refuses (409 naming them) to stop or undefine a network that live machines use, unless
 * forced: their guests would lose the link silently. Read from the hub's inventory and the
 * agent's network list at the time of the request (a VM started since the page was drawn
 * still counts).
 */
async function refuseIfInUse(svc: Services, hostId: string, network: string, force: boolean): Promise<void> {
  if (force) return;
  const { networks } = await svc.hub.call(hostId, "network.list", {}, 15_000);
  const live = (attachedMachines(networks, svc.hub.domains(hostId).values())[network] ?? []).filter((m) => LIVE.has(m.state));
  if (!live.length) return;
  const names = live.map((m) => m.name).join(", ");
  throw new ApiError("conflict", `network ${network} is used by running machines: ${names} (stop them, or force=1 to cut their link)`, {
    network: `in use by ${names}`,
  });
}

export interface AttachedMachine {
  uuid: string;
  name: string;
  state: DomainSummary["state"];
}

/**
 * Which of the host's machines have a NIC on each network, from the inventory the hub
 * already holds (no extra agent call): a NIC of type network naming it, or of type bridge
 * on its bridge. What an admin must know before stopping or undefining a network.
 */
export function attachedMachines(networks: readonly NetworkSummary[], domains: Iterable<DomainSummary>): Record<string, AttachedMachine[]> {
  const out: Record<string, AttachedMachine[]> = Object.fromEntries(networks.map((n) => [n.name, []]));
  // Only libvirt's own bridges (NAT/isolated): a bridge-mode network's host bridge outlives the network.
  const byBridge = new Map(networks.filter((n) => n.bridge && n.mode !== "bridge").map((n) => [n.bridge!, n.name]));
  for (const d of domains) {
    const on = new Set<string>();
    for (const nic of d.nics) {
      const net = nic.type === "network" ? nic.source : nic.type === "bridge" && nic.source ? byBridge.get(nic.source) : undefined;
      if (net && out[net]) on.add(net);
    }
    for (const net of on) out[net]!.push({ uuid: d.uuid, name: d.name, state: d.state });
  }
  for (const list of Object.values(out)) list.sort((a, b) => a.name.localeCompare(b.name));
  return out;
}

/**
 * The host's networks as its agent sees them now, its Linux bridges, and the machines
 * attached to each network; an unknown host is a 404 naming hostId, an offline one a 503.
 */
export async function listNetworks(svc: Services, hostId: string) {
  await getHost(svc, hostId);
  const r = await svc.hub.call(hostId, "network.list", {}, 15_000);
  return { ...r, attached: attachedMachines(r.networks, svc.hub.domains(hostId).values()) };
}

/** dnsmasq's leases on one network (read-only, no task). */
export async function networkLeases(svc: Services, hostId: string, network: string) {
  await getHost(svc, hostId);
  return svc.hub.call(hostId, "network.leases", { name: network }, 15_000);
}

/** Defines a network from a typed spec as a task. */
export async function defineNetwork(svc: Services, caller: Caller, o: { hostId: string; spec: NetworkDefineSpec; idempotencyKey: string | null }) {
  await getHost(svc, o.hostId);
  return svc.tasks.run({
    user: caller.user,
    ip: caller.ip,
    hostId: o.hostId,
    kind: "network.define",
    targetType: "network",
    targetId: o.spec.name,
    targetName: o.spec.name,
    idempotencyKey: o.idempotencyKey,
    input: o.spec,
    call: (timeoutMs) => svc.hub.call(o.hostId, "network.define", { spec: o.spec }, timeoutMs),
  });
}

/** Start, stop or autostart on/off as a task (kind network.start, network.stop, network.autostart). */
export async function networkAction(
  svc: Services,
  caller: Caller,
  o: { hostId: string; network: string; action: NetworkActionSpec; force: boolean; idempotencyKey: string | null },
) {
  await getHost(svc, o.hostId);
  if (o.action.action === "stop") await refuseIfInUse(svc, o.hostId, o.network, o.force);
  return svc.tasks.run({
    user: caller.user,
    ip: caller.ip,
    hostId: o.hostId,
    kind: `network.${o.action.action}`,
    targetType: "network",
    targetId: o.network,
    targetName: o.network,
    idempotencyKey: o.idempotencyKey,
    input: o.action,
    call: (timeoutMs) => svc.hub.call(o.hostId, "network.action", { name: o.network, action: o.action }, timeoutMs),
  });
}

/** Removes a network as a task, stopping it first when active (refused while live machines use it, unless forced). */
export async function undefineNetwork(
  svc: Services,
  caller: Caller,
  o: { hostId: string; network: string; force: boolean; idempotencyKey: string | null },
) {
  await getHost(svc, o.hostId);
  await refuseIfInUse(svc, o.hostId, o.network, o.force);
  return svc.tasks.run({
    user: caller.user,
    ip: caller.ip,
    hostId: o.hostId,
    kind: "network.undefine",
    targetType: "network",
    targetId: o.network,
    targetName: o.network,
    idempotencyKey: o.idempotencyKey,
    input: {},
    call: (timeoutMs) => svc.hub.call(o.hostId, "network.undefine", { name: o.network }, timeoutMs),
  });
}
