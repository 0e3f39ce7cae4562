// Live migration of a running VM from its host to another libvirt host (issue 15 point 2):
// the browser's request and the agent method the server calls on the SOURCE host's agent.
// The source libvirtd itself connects to the destination (peer-to-peer), so only the source
// agent takes part; the destination's URI comes from the target host's facts (its agent's
// HANGAR_MIGRATION_URI), never from the browser.
import { z } from "zod";
import { Uuid } from "./domain";

/**
 * A libvirt connection URI as the source daemon dials it: qemu+tcp://10.0.0.2/system,
 * qemu+tls://…, qemu+ssh://root@b/system, qemu+unix:///system?socket=/path.
 */
export const LibvirtUri = z
  .string()
  .min(3)
  .max(1024)
  .regex(/^[a-z][a-z0-9+.-]*:\/\/[^\s\0]*$/, "a libvirt URI such as qemu+tcp://host/system");

export const MigrateRequest = z.strictObject({
  targetHostId: z.string().min(1).max(64),
  // Define the VM on the target (else it runs there transient) and remove its definition from
  // the source (else a shut-off copy stays behind): a move, by default.
  persist: z.boolean().default(true),
  undefineSource: z.boolean().default(true),
  // A cap on the migration stream, MiB/s (shared links); none: as fast as the link goes.
  bandwidthMiBps: z.number().int().min(1).max(100_000).optional(),
});
export type MigrateRequest = z.input<typeof MigrateRequest>;

export const MigrateParams = z.strictObject({
  uuid: Uuid,
  destinationUri: LibvirtUri,
  persist: z.boolean(),
  undefineSource: z.boolean(),
  bandwidthMiBps: z.number().int().min(1).max(100_000).optional(),
});

export const MigrateResult = z.strictObject({
  uuid: Uuid,
  name: z.string().max(256),
  durationMs: z.number().nonnegative(),
  /** Bytes the migration stream carried, as libvirt last reported them (null: never read). */
  dataProcessed: z.number().nonnegative().nullable(),
});
export type MigrateResult = z.infer<typeof MigrateResult>;

export const MigrationMethods = {
  // Migrates the running domain live, peer to peer, to destinationUri; progress frames carry
  // libvirt's job statistics (bytes processed of total); a cancel aborts libvirt's job and the
  // VM keeps running on the source.
  "domain.migrate": { params: MigrateParams, result: MigrateResult },
} as const;
