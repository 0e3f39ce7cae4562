// What the hub knows of one host's inventory, whether its agent is connected here or to a
// peer server (decision 0005): the local hub and the cluster's inventory mirror keep the
// same shape, so every listing reads both the same way.
import type { ContainerSummary, DomainSummary, EngineInfo, MethodName, MethodParams, MethodResult } from "../../protocol";
import type { CallOptions } from "./agent-connection";

export interface HostInventory {
  domains: Map<string, DomainSummary>;
  observedAt: number;
  libvirtConnected: boolean | null;
  synced: boolean;
  containers: Map<string, ContainerSummary>;
  engine: EngineInfo | null;
}

/** One host as its holding server reports it to a peer (GET /internal/inventory). */
export interface HostSnapshot {
  hostId: string;
  name: string;
  observedAt: number;
  libvirtConnected: boolean | null;
  synced: boolean;
  engine: EngineInfo | null;
  domains: DomainSummary[];
  containers: ContainerSummary[];
}

/** A host whose agent a live peer holds, as this server mirrors it (read-only). */
export interface MirroredInventory extends HostInventory {
  name: string;
  /** Held by a live peer right now; false: the last known state (rows are stale). */
  online: boolean;
}

/** Hosts held by other servers: their mirrored inventory and the one-hop call path. */
export interface RemoteHosts {
  hostIds(): Iterable<string>;
  inventory(hostId: string): MirroredInventory | undefined;
  /** Runs the call on the server that holds the host's agent; AgentCallError("offline") when none does. */
  call<M extends MethodName>(hostId: string, method: M, params: MethodParams<M>, timeoutMs?: number, opts?: CallOptions): Promise<MethodResult<M>>;
  /** This server's metric demand for a host held elsewhere (empty: none). */
  watch(hostId: string, targets: string[]): { watching: number };
}
