// Host-level procedures (virConnect*/virNode*), named after libvirt's API.
import { type CallOptions, type LibvirtClient } from "./client";
import { Proc } from "./procedures";

export interface NodeInfo {
  /** CPU model string, e.g. "x86_64". */
  model: string;
  /** KiB. */
  memory: bigint;
  cpus: number;
  mhz: number;
  nodes: number;
  sockets: number;
  cores: number;
  threads: number;
}

export interface Version {
  major: number;
  minor: number;
  release: number;
  /** libvirt's packed form: major * 1,000,000 + minor * 1,000 + release. */
  raw: bigint;
}

/** Unpacks libvirt's major*1e6 + minor*1e3 + release version numbers. */
export function unpackVersion(raw: bigint): Version {
  const n = Number(raw);
  return { major: Math.floor(n / 1_000_000), minor: Math.floor(n / 1_000) % 1_000, release: n % 1_000, raw };
}

export function connectGetHostname(client: LibvirtClient, opts?: CallOptions): Promise<string> {
  return client.call(Proc.CONNECT_GET_HOSTNAME, undefined, (r) => r.string(), opts);
}

export function nodeGetInfo(client: LibvirtClient, opts?: CallOptions): Promise<NodeInfo> {
  return client.call(
    Proc.NODE_GET_INFO,
    undefined,
    (r) => {
      // `char model[32]`: XDR sends each char as a 4-byte int; the C string ends at NUL.
      const bytes: number[] = [];
      for (let i = 0; i < 32; i++) bytes.push(r.int() & 0xff);
      const end = bytes.indexOf(0);
      const model = Buffer.from(end === -1 ? bytes : bytes.slice(0, end)).toString("latin1");
      return { model, memory: r.uhyper(), cpus: r.int(), mhz: r.int(), nodes: r.int(), sockets: r.int(), cores: r.int(), threads: r.int() };
    },
    opts,
  );
}

/** libvirt library version of the daemon. */
export function connectGetLibVersion(client: LibvirtClient, opts?: CallOptions): Promise<Version> {
  return client.call(Proc.CONNECT_GET_LIB_VERSION, undefined, (r) => unpackVersion(r.uhyper()), opts);
}

/** Hypervisor version (for qemu:///system, QEMU's version). */
export function connectGetVersion(client: LibvirtClient, opts?: CallOptions): Promise<Version> {
  return client.call(Proc.CONNECT_GET_VERSION, undefined, (r) => unpackVersion(r.uhyper()), opts);
}

/** Driver name, e.g. "QEMU". */
export function connectGetType(client: LibvirtClient, opts?: CallOptions): Promise<string> {
  return client.call(Proc.CONNECT_GET_TYPE, undefined, (r) => r.string(), opts);
}

/** Host capabilities XML. */
export function connectGetCapabilities(client: LibvirtClient, opts?: CallOptions): Promise<string> {
  return client.call(Proc.CONNECT_GET_CAPABILITIES, undefined, (r) => r.string(), opts);
}

export interface DomainCapabilitiesQuery {
  emulatorbin?: string | null;
  arch?: string | null;
  machine?: string | null;
  /** "kvm" or "qemu"; asking for "kvm" fails where KVM is unusable, a cheap probe. */
  virttype?: string | null;
}

/** Domain capabilities XML (firmware, CPU models, devices) for one emulator/arch/virttype. */
export function connectGetDomainCapabilities(
  client: LibvirtClient,
  query: DomainCapabilitiesQuery = {},
  flags = 0,
  opts?: CallOptions,
): Promise<string> {
  return client.call(
    Proc.CONNECT_GET_DOMAIN_CAPABILITIES,
    (w) => {
      for (const v of [query.emulatorbin, query.arch, query.machine, query.virttype]) w.optional(v, (x, s) => x.string(s));
      w.uint(flags);
    },
    (r) => r.string(),
    opts,
  );
}

/** True when the daemon supports a VIR_DRV_FEATURE_* (see DrvFeature). */
export function connectSupportsFeature(client: LibvirtClient, feature: number, opts?: CallOptions): Promise<boolean> {
  return client.call(
    Proc.CONNECT_SUPPORTS_FEATURE,
    (w) => w.int(feature),
    (r) => r.int() === 1,
    opts,
  );
}
