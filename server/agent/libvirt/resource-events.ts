// Storage pool and network events (registered with CONNECT_STORAGE_POOL_EVENT_REGISTER_ANY
// and CONNECT_NETWORK_EVENT_REGISTER_ANY; bodies start with the callbackID). Kept apart
// from domain events: listeners of "domain-event" may rely on every event naming a domain.
import { Proc } from "./procedures";
import { readNetwork, readPool, type NetworkRef, type PoolRef } from "./wire-types";
import { XdrReader } from "./xdr";

export interface PoolLifecycleEventPayload {
  kind: "pool-lifecycle";
  callbackId: number;
  pool: PoolRef;
  /** PoolLifecycleEvent.* */
  event: number;
  detail: number;
}

/** The pool was refreshed (its volume list and sizes may have changed). */
export interface PoolRefreshEventPayload {
  kind: "pool-refresh";
  callbackId: number;
  pool: PoolRef;
}

export interface NetworkLifecycleEventPayload {
  kind: "network-lifecycle";
  callbackId: number;
  net: NetworkRef;
  /** NetworkLifecycleEvent.* */
  event: number;
  detail: number;
}

export type ResourceEvent = PoolLifecycleEventPayload | PoolRefreshEventPayload | NetworkLifecycleEventPayload;

/** Decodes a pool or network event MESSAGE body; null for any other procedure. */
export function decodeResourceEvent(proc: number, body: Buffer): ResourceEvent | null {
  const r = new XdrReader(body);
  switch (proc) {
    case Proc.STORAGE_POOL_EVENT_LIFECYCLE: {
      const callbackId = r.int();
      const pool = readPool(r);
      return { kind: "pool-lifecycle", callbackId, pool, event: r.int(), detail: r.int() };
    }
    case Proc.STORAGE_POOL_EVENT_REFRESH: {
      const callbackId = r.int();
      return { kind: "pool-refresh", callbackId, pool: readPool(r) };
    }
    case Proc.NETWORK_EVENT_LIFECYCLE: {
      const callbackId = r.int();
      const net = readNetwork(r);
      return { kind: "network-lifecycle", callbackId, net, event: r.int(), detail: r.int() };
    }
    default:
      return null;
  }
}
