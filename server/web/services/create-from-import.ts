// The second half of an import: a VM defined from the converted volume and the OVF's facts,
// through the same vm.create agent method (typed VmSpec, domain XML builder, rollback) as
// the create wizard.
import { VmSpec, type DiskImportResult, type DomainSummary, type Firmware, type NicModel, type OvfNic, type VmSpecInput } from "../../protocol";
import type { Services } from "../services";

/** What the import knows about the VM to create. */
export interface ImportPlan {
  name: string;
  vcpus: number;
  memoryMiB: number;
  firmware: Firmware;
  disk: { pool: string; volume: string; path: string; format: "qcow2" };
  nics: { network: string; model: NicModel; sourceNetwork: string | null }[];
  start: boolean;
}

/** When neither the request nor an OVF says: small, but enough for a typical cloud image. */
export const IMPORT_DEFAULTS = { vcpus: 1, memoryMiB: 1024 } as const;

/**
 * The OVF's ResourceSubType as one of the NIC models a VM spec offers: the model the guest
 * already has drivers for where QEMU emulates it (an imported Windows guest has no virtio
 * driver, so keeping its E1000 keeps it on the network). VMware's paravirtual VmxNet3 is
 * replaced by its KVM counterpart, virtio (guests with VMware tools are modern enough to
 * carry it); an old AMD PCnet guest gets the RTL8139 that such guests ship drivers for.
 */
const OVF_NIC_MODELS: Record<string, NicModel> = {
  e1000: "e1000",
  e1000e: "e1000e",
  rtl8139: "rtl8139",
  pcnet32: "rtl8139",
  vmxnet3: "virtio",
  virtio: "virtio",
};

export function nicModel(ovf: string | null): NicModel {
  return OVF_NIC_MODELS[(ovf ?? "").toLowerCase()] ?? "virtio";
}

/**
 * The plan from request overrides, then the OVF, then defaults. The source's network names
 * (VMware's "VM Network", VirtualBox's "NAT") mean nothing on this host: every NIC goes to
 * the request's network (else libvirt's "default") and keeps the old name for the record.
 */
export function importPlan(
  req: { name: string; vcpus?: number; memoryMiB?: number; startNow?: boolean; network?: string },
  imported: DiskImportResult,
): ImportPlan {
  const ovf = imported.ovf;
  const nics: OvfNic[] = ovf ? ovf.nics : [{ network: null, model: null }];
  return {
    name: req.name,
    vcpus: req.vcpus ?? ovf?.vcpus ?? IMPORT_DEFAULTS.vcpus,
    memoryMiB: req.memoryMiB ?? ovf?.memoryMiB ?? IMPORT_DEFAULTS.memoryMiB,
    firmware: ovf?.firmware ?? "bios",
    disk: { pool: imported.volume.pool, volume: imported.volume.name, path: imported.volume.path, format: "qcow2" },
    nics: nics.map((n) => ({ network: req.network ?? "default", model: nicModel(n.model), sourceNetwork: n.network })),
    start: req.startNow ?? false,
  };
}

/**
 * The create request for vm.create. VmSpec has one NIC on one network: the first OVF NIC goes
 * on `network` with its model when the host has the network active (null: no NIC rather than
 * a VM that cannot start).
 */
export function importSpec(plan: ImportPlan, network: string | null): VmSpecInput {
  return {
    name: plan.name,
    description: "Imported by Hangar",
    vcpus: plan.vcpus,
    memoryMiB: plan.memoryMiB,
    boot: { kind: "disk" },
    disk: { kind: "existing", pool: plan.disk.pool, volume: plan.disk.volume },
    network: network && plan.nics[0] ? { kind: "network", name: network, model: plan.nics[0].model } : { kind: "none" },
    firmware: plan.firmware === "efi" ? "uefi" : "bios",
    startNow: plan.start,
  };
}

/** Defines (and optionally starts) the VM through the agent's vm.create, on the host's network of the plan's name when it is active. */
export async function createFromImport(svc: Services, hostId: string, plan: ImportPlan, timeoutMs: number): Promise<DomainSummary> {
  const wanted = plan.nics[0]?.network ?? "default";
  const { networks } = await svc.hub.call(hostId, "network.list", {}, 15_000);
  const active = networks.some((n) => n.name === wanted && n.active) ? wanted : null;
  const { domain } = await svc.hub.call(hostId, "vm.create", { spec: VmSpec.parse(importSpec(plan, active)) }, timeoutMs);
  return domain;
}
