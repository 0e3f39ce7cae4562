// Writing an uploaded image into a storage volume: what its handlers need from a driver.
import type { Readable } from "node:stream";
import type { UploadFormat, VolumeUploadResult } from "../../../protocol/upload-methods";

export interface VolumeUploadSpec {
  pool: string;
  name: string;
  /** Exactly this many bytes must arrive; fewer or more and nothing is kept. */
  size: number;
  format: UploadFormat;
  /** Replace a volume of that name (else its existence is a conflict). */
  overwrite: boolean;
}

export interface UploadArea {
  /**
   * Streams `open()`'s bytes into a new volume: written under a temporary name, renamed
   * to `name` only when every byte arrived. Any failure deletes the temporary volume.
   * `open` is called once the pool, name and space are checked.
   */
  uploadVolume(spec: VolumeUploadSpec, open: () => Promise<Readable>): Promise<VolumeUploadResult>;
}
