// KubeVirt's VirtualMachine (+ its VirtualMachineInstance while one exists) as the same
// DomainSummary the libvirt driver reports, so the server, the machines table and the
// detail page treat both engines alike. Only the fields we read are typed: KubeVirt's
// objects carry far more, and an unknown field must never make a row fail.
import type { DomainState, DomainSummary } from "../../../protocol";

type DiskDevice = DomainSummary["disks"][number];
type NicDevice = DomainSummary["nics"][number];

export interface KubeMeta {
  name: string;
  namespace?: string;
  uid: string;
  resourceVersion?: string;
}

interface KubeDomainSpec {
  cpu?: { cores?: number; sockets?: number; threads?: number };
  memory?: { guest?: string; maxGuest?: string };
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  devices?: {
    autoattachGraphicsDevice?: boolean;
    disks?: ({ name: string; disk?: { bus?: string }; cdrom?: { bus?: string }; lun?: { bus?: string } } & Record<string, unknown>)[];
    interfaces?: ({ name: string; macAddress?: string; model?: string } & Record<string, unknown>)[];
  };
}

type KubeVolume = { name: string } & Record<string, unknown>;

export interface KubeVirtualMachine {
  metadata: KubeMeta;
  spec?: {
    running?: boolean;
    runStrategy?: string;
    template?: { spec?: { domain?: KubeDomainSpec; volumes?: KubeVolume[]; networks?: ({ name: string } & Record<string, unknown>)[] } };
  };
  status?: { printableStatus?: string; ready?: boolean };
}

export interface KubeVirtualMachineInstance {
  metadata: KubeMeta;
  status?: {
    phase?: string;
    conditions?: { type: string; status: string; reason?: string }[];
    interfaces?: { name?: string; mac?: string; ipAddress?: string }[];
  };
}

/** The row's name: a VM name is unique only within its namespace. */
export function kubeName(m: Pick<KubeMeta, "name" | "namespace">): string {
  return `${m.namespace ?? "default"}/${m.name}`;
}

// printableStatus values from KubeVirt's VirtualMachinePrintableStatus (api/core/v1/types.go).
const PRINTABLE: Record<string, DomainState> = {
  Running: "running",
  Migrating: "running",
  Paused: "paused",
  Stopping: "shutdown",
  Terminating: "shutdown",
  Stopped: "shutoff",
  CrashLoopBackOff: "crashed",
  ErrorUnschedulable: "crashed",
  ErrImagePull: "crashed",
  ImagePullBackOff: "crashed",
  ErrorPvcNotFound: "crashed",
  DataVolumeError: "crashed",
  // Starting, Provisioning, WaitingForVolumeBinding, WaitingForReceiver, Unknown: on the way, no state yet.
};

function isPaused(vmi: KubeVirtualMachineInstance | null): boolean {
  return vmi?.status?.conditions?.some((c) => c.type === "Paused" && c.status === "True") ?? false;
}

/**
 * The VM's state: the VM's own printableStatus (what `kubectl get vm` shows) when the
 * controller has set it, else the VMI's phase (a VM without a VMI is off).
 */
export function kubeState(vm: KubeVirtualMachine, vmi: KubeVirtualMachineInstance | null): DomainState {
  const printable = vm.status?.printableStatus;
  if (printable) {
    // The VM's status can lag its VMI's Paused condition by one reconcile: trust the VMI.
    if (printable === "Running" && isPaused(vmi)) return "paused";
    return PRINTABLE[printable] ?? "nostate";
  }
  if (!vmi) return "shutoff";
  switch (vmi.status?.phase) {
    case "Running":
      return isPaused(vmi) ? "paused" : "running";
    case "Succeeded":
      return "shutoff";
    case "Failed":
      return "crashed";
    default:
      return "nostate";
  }
}

const QUANTITY = /^([0-9.]+)(Ki|Mi|Gi|Ti|Pi|Ei|k|K|M|G|T|P|E)?$/;
const FACTOR: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
  k: 1e3,
  K: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};

/** A Kubernetes memory quantity ("128Mi", "64M", "1Gi", "2147483648") in KiB; 0 when unreadable. */
export function quantityKiB(q: string | undefined): number {
  const m = q ? QUANTITY.exec(q.trim()) : null;
  if (!m) return 0;
  return Math.round((Number(m[1]) * (m[2] ? FACTOR[m[2]]! : 1)) / 1024);
}

/** What a disk is backed by, named the way the VM spec names it (image, claim, data volume). */
function volumeSource(v: KubeVolume | undefined): string | null {
  if (!v) return null;
  const pick = (key: string, field: string) => (v[key] as Record<string, string> | undefined)?.[field];
  const image = pick("containerDisk", "image");
  if (image) return image;
  const claim = pick("persistentVolumeClaim", "claimName");
  if (claim) return `pvc:${claim}`;
  const dv = pick("dataVolume", "name");
  if (dv) return `dv:${dv}`;
  const kind = Object.keys(v).find((k) => k !== "name");
  return kind ?? null;
}

const DISK_KINDS = ["disk", "cdrom", "lun"] as const;
// Interface binding methods in KubeVirt's Interface type.
const BINDINGS = ["masquerade", "bridge", "sriov", "slirp", "passt", "binding"];

export function toDomainSummary(vm: KubeVirtualMachine, vmi: KubeVirtualMachineInstance | null): DomainSummary {
  const tpl = vm.spec?.template?.spec;
  const domain = tpl?.domain ?? {};
  const cpu = domain.cpu ?? {};
  const memory = domain.memory?.guest ?? domain.resources?.requests?.memory ?? domain.resources?.limits?.memory ?? undefined;
  const memoryKiB = quantityKiB(memory);
  const volumes = new Map((tpl?.volumes ?? []).map((v) => [v.name, v]));
  const networks = new Map((tpl?.networks ?? []).map((n) => [n.name, n]));
  const live = new Map((vmi?.status?.interfaces ?? []).map((i) => [i.name, i]));
  const state = kubeState(vm, vmi);
  const disks: DiskDevice[] = (domain.devices?.disks ?? []).map((d) => {
    const kind = DISK_KINDS.find((k) => d[k] !== undefined) ?? "disk";
    return { target: d.name, device: kind, bus: d[kind]?.bus ?? null, source: volumeSource(volumes.get(d.name)), format: null };
  });
  const nics: NicDevice[] = (domain.devices?.interfaces ?? []).map((i) => {
    const net = networks.get(i.name);
    const multus = (net?.multus as { networkName?: string } | undefined)?.networkName;
    return {
      mac: i.macAddress ?? live.get(i.name)?.mac ?? null,
      type: BINDINGS.find((b) => i[b] !== undefined) ?? "unknown",
      source: multus ?? (net?.pod !== undefined ? "pod" : null),
      model: i.model ?? "virtio",
    };
  });
  return {
    // metadata.uid, not the VMI's uid nor the guest's firmware UUID: it is set by the API
    // server for the VM object's whole life (the VMI's uid changes at every start, and
    // firmware.uuid is optional), unique across the cluster, and already a lowercase UUID.
    uuid: vm.metadata.uid.toLowerCase(),
    engine: "kubevirt",
    name: kubeName(vm.metadata),
    // KubeVirt has no numeric domain id the user can use.
    id: -1,
    state,
    stateReason: 0,
    vcpus: (cpu.cores ?? 1) * (cpu.sockets ?? 1) * (cpu.threads ?? 1),
    memoryKiB,
    maxMemoryKiB: Math.max(memoryKiB, quantityKiB(domain.memory?.maxGuest)),
    // Started again by the cluster whenever it stops: the nearest thing to libvirt's autostart.
    autostart: vm.spec?.running === true || vm.spec?.runStrategy === "Always" || vm.spec?.runStrategy === "RerunOnFailure",
    persistent: true,
    virtType: "kubevirt",
    osType: "hvm",
    // KubeVirt attaches a VNC display unless told not to; it is reached through the vnc
    // subresource, never a port, hence no port or listen address.
    graphics: domain.devices?.autoattachGraphicsDevice === false ? [] : [{ type: "vnc", port: null, listen: null, socket: null }],
    // The serial console subresource is not bridged (yet): no serial device offered.
    serials: [],
    disks,
    nics,
  };
}
