// Live migration of a running VM to another libvirt host (peer to peer).
import type { MigrateResult } from "../../../protocol";

export interface MigrationArea {
  /** `signal` aborts libvirt's job (the VM stays on this host); `onProgress` reports bytes sent of total. */
  migrate(
    uuid: string,
    o: { destinationUri: string; persist: boolean; undefineSource: boolean; bandwidthMiBps?: number },
    signal: AbortSignal,
    onProgress: (done: number, total: number | null) => void,
  ): Promise<MigrateResult>;
  /** libvirt's host UUID, reported in the host facts (null when libvirt is not connected). */
  hostUuid(): Promise<string | null>;
}
