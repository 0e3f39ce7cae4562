// Backups of a VM to a directory on its host (issue 16 point 2): methods the server calls
// on the agent. A backup is a directory <dir>/<vm name>/<slot>/ holding one qcow2 per disk
// and domain.xml; it only gets that name once complete (it is built as <slot>.partial).
import { z } from "zod";
import { DomainSummary, Uuid } from "./domain";
import { DomainName } from "./vm-edit";

/** An absolute directory on the host, no "..": where backups go or where one is. */
export const HostDir = z
  .string()
  .min(2)
  .max(1024)
  .regex(/^\/[^\0]*$/, "an absolute path")
  .refine((p) => !p.split("/").includes(".."), "no .. in the path");
/** A slot as a file name: the slot's ISO time with ":" made "-" (2026-12-04T01-00-00.000Z). */
export const BackupSlot = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "letters, digits, '.', '_' and '-'");

export const BackupResult = z.strictObject({
  path: z.string().max(4096),
  size: z.number().int().nonnegative(),
  disks: z.array(z.string().max(64)).max(256),
});
export type BackupResult = z.infer<typeof BackupResult>;

export const BackupMethods = {
  // Copies every file disk with qemu-img convert -O qcow2; a running VM is paused for the copy.
  "vm.backup": { params: z.strictObject({ uuid: Uuid, dir: HostDir, slot: BackupSlot }), result: BackupResult },
  // Removes one finished backup (a directory with a domain.xml); nothing else is deleted.
  "backup.delete": { params: z.strictObject({ path: HostDir }), result: z.strictObject({}) },
  // Copies the backup's disks beside it (<path>/../<name>-restored/) and defines a new VM from
  // its domain.xml: new name, new uuid, MACs dropped; started when `start`.
  "backup.restore": {
    params: z.strictObject({ path: HostDir, name: DomainName, start: z.boolean() }),
    result: z.strictObject({ domain: DomainSummary, volumes: z.array(z.string().max(4096)).max(256) }),
  },
} as const;
