import { z } from "zod";

export const HostFacts = z.strictObject({
  hostname: z.string().max(256),
  os: z.string().max(256),
  kernel: z.string().max(256),
  arch: z.string().max(64),
  cpuModel: z.string().max(256),
  cpuCount: z.number().int().nonnegative(),
  memoryBytes: z.number().nonnegative(),
  libvirtVersion: z.string().max(64).nullable(),
  qemuVersion: z.string().max(64).nullable(),
  kvm: z.strictObject({ usable: z.boolean(), reason: z.string().max(512).nullable() }),
  // Live migration (protocol/migration.ts): how OTHER hosts' libvirtd reach this one's (the
  // agent's HANGAR_MIGRATION_URI; null: not a migration target), and libvirt's host UUID
  // (two host records on one libvirtd are the same host). Optional: older agents omit them.
  migrationUri: z.string().max(1024).nullable().optional(),
  libvirtHostUuid: z.string().max(64).nullable().optional(),
});
export type HostFacts = z.infer<typeof HostFacts>;
