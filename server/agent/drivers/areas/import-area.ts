// Importing foreign disks and OVAs into a pool (disk.import, disk.discard): what the import handlers need from a driver.
import type { DiskImportParams, DiskImportResult } from "../../../protocol";

export interface ImportArea {
  /**
   * Converts the source volume (or an OVA's boot disk) into a new qcow2 volume of the target
   * pool; `onProgress` gets qemu-img's percentage, `signal` stops it (qemu-img killed). On
   * failure or abort nothing of it is left behind.
   */
  importDisk(p: DiskImportParams, onProgress?: (pct: number) => void, signal?: AbortSignal): Promise<DiskImportResult>;
  /** Deletes a volume an import made (its VM could not be created). */
  discard(pool: string, name: string): Promise<void>;
}
