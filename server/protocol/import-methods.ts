// Importing foreign disks and OVAs into a pool: methods the server calls on the agent (noun.verb, params and result).
import { z } from "zod";
import { PoolName } from "./pool";
import { DiskImportParams, DiskImportResult, TargetVolumeName } from "./vm-import";

export const ImportMethods = {
  // Converts a VMDK/VDI/VHDX/VHD/qcow2/raw volume, or the boot disk of an OVA, into a new
  // qcow2 volume of a directory pool, and reads the OVA's OVF. Nothing is left behind on failure.
  "disk.import": { params: DiskImportParams, result: DiskImportResult },
  // Undoes a disk.import whose VM could not be created: deletes that volume again.
  "disk.discard": { params: z.strictObject({ pool: PoolName, name: TargetVolumeName }), result: z.strictObject({}) },
} as const;
