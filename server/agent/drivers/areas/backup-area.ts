// Backups of domains to a directory on the host, and restoring them as new domains.
import type { BackupResult, DomainSummary } from "../../../protocol";

export interface BackupArea {
  /** `signal` aborts the copy (the .partial is removed); `onProgress` reports bytes copied. */
  backup(uuid: string, dir: string, slot: string, signal: AbortSignal, onProgress: (done: number, total: number) => void): Promise<BackupResult>;
  remove(path: string): Promise<void>;
  restore(
    path: string,
    name: string,
    start: boolean,
    signal: AbortSignal,
    onProgress: (done: number, total: number) => void,
  ): Promise<{ domain: DomainSummary; volumes: string[] }>;
}
