// Storage pools and volumes of a hypervisor host: what the storage handlers need from a driver.
import type { CreateFormat, PoolAction, PoolSummary, VolumeSummary } from "../../../protocol";

export interface StorageArea {
  /** The host's storage pools with sizes, state and volume counts. */
  listPools(): Promise<PoolSummary[]>;
  /** A persistent, inactive directory pool. */
  definePool(name: string, path: string): Promise<PoolSummary>;
  poolAction(name: string, action: PoolAction): Promise<PoolSummary>;
  setPoolAutostart(name: string, enabled: boolean): Promise<PoolSummary>;
  /** Refused (conflict) while the pool holds volumes; an active empty pool is stopped first. */
  undefinePool(name: string): Promise<void>;
  /** An active pool's row and volumes, each with the domains whose XML references it. */
  listVolumes(pool: string): Promise<{ pool: PoolSummary; volumes: VolumeSummary[] }>;
  createVolume(pool: string, name: string, format: CreateFormat, capacity: number): Promise<VolumeSummary>;
  /** Grow only. */
  resizeVolume(pool: string, name: string, capacity: number): Promise<VolumeSummary>;
  /** `onProgress`: bytes copied so far of the total, while the copy runs (where the driver can tell). */
  cloneVolume(pool: string, name: string, newName: string, onProgress?: (done: number, total: number) => void): Promise<VolumeSummary>;
  /** Refused (conflict) while a domain uses the volume, unless force. */
  deleteVolume(pool: string, name: string, force: boolean): Promise<void>;
}
