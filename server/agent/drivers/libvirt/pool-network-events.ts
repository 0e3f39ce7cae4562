// Storage pool and network events for the server. Pools and networks are not kept by the
// driver (the server reads them when asked): their events only tell the server which host's
// lists are out of date, virsh changes included.
import type { AgentEvent } from "../../../protocol";
import { registerNetworkEvent, registerStoragePoolEvent, type LibvirtClient } from "../../libvirt";
import { NetworkEventId, PoolEventId } from "../../libvirt/procedures";

const POOL_CAUSES = ["defined", "undefined", "started", "stopped", "created", "deleted"];
const NETWORK_CAUSES = ["defined", "undefined", "started", "stopped"];
const cause = (names: string[], event: number) => names[event] ?? `lifecycle-${event}`;

/** Turns the client's pool and network events into agent events. */
export function forwardPoolNetworkEvents(client: LibvirtClient, emit: (e: AgentEvent) => void): void {
  client.on("pool-lifecycle", (e) => emit({ kind: "pool.changed", pool: e.pool.name, cause: cause(POOL_CAUSES, e.event) }));
  client.on("pool-refresh", (e) => emit({ kind: "pool.changed", pool: e.pool.name, cause: "refreshed" }));
  client.on("network-lifecycle", (e) => emit({ kind: "network.changed", network: e.net.name, cause: cause(NETWORK_CAUSES, e.event) }));
}

/** Subscribes the connection to every pool's lifecycle and refresh and every network's lifecycle. */
export function registerPoolNetworkEvents(client: LibvirtClient): Promise<number[]> {
  return Promise.all([
    registerStoragePoolEvent(client, PoolEventId.LIFECYCLE),
    registerStoragePoolEvent(client, PoolEventId.REFRESH),
    registerNetworkEvent(client, NetworkEventId.LIFECYCLE),
  ]);
}
