// The second half of an import: a VM defined from the converted volume and the OVF's facts.
// Creating VMs is the vm.create agent method (typed VmSpec, domain XML builder), which lands
// separately; until it is in Methods this answers null and the import stops at the volume.
// Everything here is the one place to adapt when vm.create's spec is final.
import { Methods, type DiskImportResult, type Firmware, type OvfNic } from "../../protocol";
import type { Services } from "../services";

/** What the import knows about the VM to create. */
export interface ImportPlan {
  name: string;
  vcpus: number;
  memoryMiB: number;
  firmware: Firmware;
  disk: { pool: string; volume: string; path: string; format: "qcow2" };
  nics: { network: string; model: string; sourceNetwork: string | null }[];
  start: boolean;
}

/** When neither the request nor an OVF says: small, but enough for a typical cloud image. */
export const IMPORT_DEFAULTS = { vcpus: 1, memoryMiB: 1024 } as const;

/**
 * NIC models the guest already has drivers for, as QEMU names them: an imported Windows
 * guest has no virtio driver, so keeping its E1000 keeps it on the network.
 */
const NIC_MODELS: Record<string, string> = { e1000: "e1000", e1000e: "e1000e", vmxnet3: "vmxnet3", pcnet32: "pcnet", virtio: "virtio" };

function nicModel(ovf: string | null): string {
  return NIC_MODELS[(ovf ?? "").toLowerCase()] ?? "virtio";
}

/**
 * The plan from request overrides, then the OVF, then defaults. The source's network names
 * (VMware's "VM Network", VirtualBox's "NAT") mean nothing on this host: every NIC goes to
 * libvirt's "default" network and keeps the old name for the record.
 */
export function importPlan(req: { name: string; vcpus?: number; memoryMiB?: number; startNow?: boolean }, imported: DiskImportResult): ImportPlan {
  const ovf = imported.ovf;
  const nics: OvfNic[] = ovf ? ovf.nics : [{ network: null, model: null }];
  return {
    name: req.name,
    vcpus: req.vcpus ?? ovf?.vcpus ?? IMPORT_DEFAULTS.vcpus,
    memoryMiB: req.memoryMiB ?? ovf?.memoryMiB ?? IMPORT_DEFAULTS.memoryMiB,
    firmware: ovf?.firmware ?? "bios",
    disk: { pool: imported.volume.pool, volume: imported.volume.name, path: imported.volume.path, format: "qcow2" },
    nics: nics.map((n) => ({ network: "default", model: nicModel(n.model), sourceNetwork: n.network })),
    start: req.startNow ?? false,
  };
}

type LooseCall = (hostId: string, method: string, params: unknown, timeoutMs?: number) => Promise<unknown>;

/** Defines (and optionally starts) the VM through vm.create; null while that method does not exist yet. */
export async function createFromImport(svc: Services, hostId: string, plan: ImportPlan, timeoutMs: number): Promise<unknown> {
  if (!Object.hasOwn(Methods, "vm.create")) return null;
  // vm.create is typed by its own table once merged; until then its name is not a MethodName.
  const call = svc.hub.call.bind(svc.hub) as unknown as LooseCall;
  return call(hostId, "vm.create", { spec: plan }, timeoutMs);
}
