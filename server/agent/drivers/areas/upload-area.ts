// Writing an uploaded image into a storage volume: what its handlers need from a driver.
import type { Readable } from "node:stream";
import type { UploadFormat, VolumeUploadResult } from "../../../protocol/upload-methods";

/** The volume as the agent reports it: without sha256 when the server hashed. */
export type AgentVolumeUpload = Omit<VolumeUploadResult, "sha256"> & { sha256?: string };

export interface VolumeUploadSpec {
  pool: string;
  name: string;
  /** Exactly this many bytes must arrive; fewer or more and nothing is kept. */
  size: number;
  format: UploadFormat;
  /** Replace a volume of that name (else its existence is a conflict). */
  overwrite: boolean;
  /** Hash the bytes (else the server does, and the result has no sha256). */
  hash: boolean;
}

export interface UploadArea {
  /**
   * Streams `open()`'s bytes into a new volume: written under a temporary name, renamed
   * to `name` only when every byte arrived. Any failure deletes the temporary volume.
   * `open` is called once the pool, name and space are checked.
   */
  uploadVolume(spec: VolumeUploadSpec, open: () => Promise<Readable>): Promise<AgentVolumeUpload>;
}
