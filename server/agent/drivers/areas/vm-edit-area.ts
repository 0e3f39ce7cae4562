// Changing an existing VM (sizes, devices, boot, XML), its snapshots, clones and deletion with chosen volumes: what its handlers need from a driver.
import type { DomainSummary, SnapshotRow, VmChange, VmEditInfo, VmEditResult } from "../../../protocol";

export interface VmEditArea {
  /** One change, live and in the definition where the hypervisor allows, else for the next boot. */
  edit(uuid: string, change: VmChange): Promise<VmEditResult>;
  info(uuid: string): Promise<VmEditInfo>;
  /** Replaces the definition after checking it (schema, same uuid and name). */
  defineXml(uuid: string, xml: string): Promise<DomainSummary>;
  listSnapshots(uuid: string): Promise<SnapshotRow[]>;
  createSnapshot(uuid: string, o: { name: string; description: string; memory: boolean }): Promise<SnapshotRow>;
  revertSnapshot(uuid: string, name: string): Promise<DomainSummary>;
  deleteSnapshot(uuid: string, name: string): Promise<void>;
  /** A stopped domain copied with new volumes; answers the new domain and its volume paths. */
  clone(uuid: string, name: string): Promise<{ domain: DomainSummary; volumes: string[] }>;
  /** Undefines a stopped domain and deletes exactly `volumes` (paths of its disks). */
  remove(uuid: string, volumes: string[]): Promise<string[]>;
}
