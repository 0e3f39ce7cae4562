// Virtual network verbs: one per route. Changes run as tasks through TaskService.run (one
// per network name at a time, audited, idempotent); reads go straight to the host's agent
// (networks are not kept in the hub's inventory: they change rarely and are cheap to ask for).
import type { NetworkActionSpec, NetworkDefineSpec } from "../../protocol";
import type { Services } from "../services";
import type { Caller } from "./caller";
import { getHost } from "./hosts";

/** The host's networks as its agent sees them now; an unknown host is a 404 naming hostId, an offline one a 503. */
export async function listNetworks(svc: Services, hostId: string) {
  await getHost(svc, hostId);
  return svc.hub.call(hostId, "network.list", {}, 15_000);
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
  o: { hostId: string; network: string; action: NetworkActionSpec; idempotencyKey: string | null },
) {
  await getHost(svc, o.hostId);
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

/** Removes a network as a task, stopping it first when active. */
export async function undefineNetwork(svc: Services, caller: Caller, o: { hostId: string; network: string; idempotencyKey: string | null }) {
  await getHost(svc, o.hostId);
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
