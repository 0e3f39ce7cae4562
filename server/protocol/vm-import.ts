// Importing a VMware, VirtualBox or Hyper-V disk (VMDK, VDI, VHDX, VHD) or an OVA into a pool:
// what the agent reports back (the converted qcow2 and the facts read from the OVF) and what
// a browser asks for. Shared by agent, server and browser.
import { z } from "zod";
import { PoolName } from "./pool";
import { AttachedNetworkName } from "./vm-spec";

/** What the agent found in the source file by its magic bytes (never by its name). */
export const SOURCE_FORMATS = ["vmdk", "vdi", "vhdx", "vpc", "qcow2", "raw", "ova"] as const;
export const SourceFormat = z.enum(SOURCE_FORMATS);
export type SourceFormat = z.infer<typeof SourceFormat>;

/**
 * A volume that already exists in a pool (an upload, a copy): libvirt takes any file name,
 * so this only keeps out what could leave the pool's directory or break a log line.
 */
export const SourceVolumeName = z
  .string()
  .min(1)
  .max(255)
  .refine((n) => !n.includes("/"), "no '/'")
  .refine((n) => n !== "." && n !== "..", "not '.' or '..'")
  // eslint-disable-next-line no-control-regex
  .refine((n) => !/[\u0000-\u001f\u007f]/.test(n), "no control characters");

/** The name of a volume the import creates: it becomes a file name in the target pool. */
export const TargetVolumeName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, "1-128 letters, digits, '.', '_' or '-', starting with a letter or digit");

/** The name of the VM an import defines (also the start of its volume's file name). */
export const ImportVmName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, "1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");

export const OvfNic = z.strictObject({
  /** The OVF's <Connection>: the network the NIC was attached to on the source hypervisor. */
  network: z.string().max(256).nullable(),
  /** ResourceSubType (E1000, VmxNet3, PCNet32…): tells which driver the guest already has. */
  model: z.string().max(64).nullable(),
});
export type OvfNic = z.infer<typeof OvfNic>;

export const OvfDisk = z.strictObject({
  /** The file in the OVA (References/File href). */
  file: z.string().max(255),
  /** The disk's capacity in bytes as the OVF states it, when it does. */
  capacity: z.number().int().nonnegative().nullable(),
});
export type OvfDisk = z.infer<typeof OvfDisk>;

export const Firmware = z.enum(["bios", "efi"]);
export type Firmware = z.infer<typeof Firmware>;

/** What an OVF says about its machine; null where the OVF is silent. */
export const OvfFacts = z.strictObject({
  name: z.string().max(256).nullable(),
  vcpus: z.number().int().min(1).max(4096).nullable(),
  memoryMiB: z.number().int().min(1).nullable(),
  nics: z.array(OvfNic).max(64),
  firmware: Firmware,
  /** In the order of the virtual hardware: the first is the boot disk. */
  disks: z.array(OvfDisk).max(64),
});
export type OvfFacts = z.infer<typeof OvfFacts>;

export const ImportedVolume = z.strictObject({
  pool: z.string().max(256),
  name: z.string().max(256),
  path: z.string().max(4096),
  /** Bytes the guest sees. */
  capacity: z.number().int().nonnegative(),
  format: z.literal("qcow2"),
});
export type ImportedVolume = z.infer<typeof ImportedVolume>;

export const DiskImportParams = z.strictObject({
  sourcePool: PoolName,
  sourceVolume: SourceVolumeName,
  targetPool: PoolName,
  targetName: TargetVolumeName,
});
export type DiskImportParams = z.infer<typeof DiskImportParams>;

export const DiskImportResult = z.strictObject({
  volume: ImportedVolume,
  ovf: OvfFacts.nullable(),
  sourceFormat: SourceFormat,
});
export type DiskImportResult = z.infer<typeof DiskImportResult>;

/** POST /api/machines/[hostId]/import: what a browser sends. */
export const VmImportRequest = z.strictObject({
  sourcePool: PoolName,
  sourceVolume: SourceVolumeName,
  targetPool: PoolName,
  name: ImportVmName,
  /** Override the OVF (or the defaults when there is no OVF). */
  vcpus: z.number().int().min(1).max(256).optional(),
  memoryMiB: z
    .number()
    .int()
    .min(16)
    .max(4 * 1024 * 1024)
    .optional(),
  startNow: z.boolean().optional(),
  /** The host's network the NIC goes on (the OVF's network names mean nothing here); default: "default". */
  network: AttachedNetworkName.optional(),
});
export type VmImportRequest = z.infer<typeof VmImportRequest>;
