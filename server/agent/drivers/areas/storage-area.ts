// Storage pools and volumes of a hypervisor host: what the storage handlers need from a driver.
import type { PoolAction, PoolSummary } from "../../../protocol";

export interface StorageArea {
  /** The host's storage pools with sizes, state and volume counts. */
  listPools(): Promise<PoolSummary[]>;
  /** A persistent, inactive directory pool. */
  definePool(name: string, path: string): Promise<PoolSummary>;
  poolAction(name: string, action: PoolAction): Promise<PoolSummary>;
}
