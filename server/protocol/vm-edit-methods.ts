// Changing an existing VM (devices, sizes, boot, XML), its snapshots, clones and deletion
// with chosen volumes: methods the server calls on the agent (noun.verb, params and result).
import { z } from "zod";
import { DomainSummary, Uuid } from "./domain";
import { DomainName, SnapshotName, SnapshotRow, VmChange, VmEditInfo, VmEditResult } from "./vm-edit";

const Snap = z.strictObject({ uuid: Uuid, name: SnapshotName });

export const VmEditMethods = {
  "vm.edit": { params: z.strictObject({ uuid: Uuid, change: VmChange }), result: VmEditResult },
  "vm.info": { params: z.strictObject({ uuid: Uuid }), result: VmEditInfo },
  // Validated by libvirt's schema (DefineXML VALIDATE) and refused unless its uuid and name are this domain's.
  "vm.xml.define": {
    params: z.strictObject({
      uuid: Uuid,
      xml: z
        .string()
        .min(1)
        .max(1024 * 1024),
    }),
    result: z.strictObject({ domain: DomainSummary }),
  },
  "vm.snapshot.list": { params: z.strictObject({ uuid: Uuid }), result: z.strictObject({ snapshots: z.array(SnapshotRow).max(16_384) }) },
  "vm.snapshot.create": {
    params: z.strictObject({ uuid: Uuid, name: SnapshotName, description: z.string().max(4096), memory: z.boolean() }),
    result: z.strictObject({ snapshot: SnapshotRow }),
  },
  "vm.snapshot.revert": { params: Snap, result: z.strictObject({ domain: DomainSummary }) },
  "vm.snapshot.delete": { params: Snap, result: z.strictObject({}) },
  // Stopped domains only; every disk volume is copied into its own pool under a derived name.
  "vm.clone": {
    params: z.strictObject({ uuid: Uuid, name: DomainName }),
    result: z.strictObject({ domain: DomainSummary, volumes: z.array(z.string().max(4096)).max(256) }),
  },
  // Undefines the domain and deletes exactly the listed volumes (each one a disk of this domain).
  "vm.delete": {
    params: z.strictObject({ uuid: Uuid, volumes: z.array(z.string().min(1).max(4096)).max(256) }),
    result: z.strictObject({ deleted: z.array(z.string().max(4096)).max(256) }),
  },
} as const;
