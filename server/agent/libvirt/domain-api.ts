// Domain procedures, one thin function each, named after libvirt's own API
// (virConnectListAllDomains → connectListAllDomains) so libvirt's docs apply directly.
import { type CallOptions, type LibvirtClient } from "./client";
import { Limits, Proc } from "./procedures";
import { readDomain, readTypedParam, typedParamsToRecord, uuidToBytes, writeDomain, type DomainRef, type TypedParamValue } from "./wire-types";

export interface DomainStateInfo {
  /** DomainState.* */
  state: number;
  /** State-specific reason (e.g. for SHUTOFF: 1 shutdown, 2 destroyed…). */
  reason: number;
}

export interface DomainInfo {
  state: number;
  /** KiB. */
  maxMem: bigint;
  /** KiB. */
  memory: bigint;
  nrVirtCpu: number;
  /** Nanoseconds of CPU time used. */
  cpuTime: bigint;
}

export interface DomainStatsRecord {
  dom: DomainRef;
  /** Field → value in libvirt's naming ("cpu.time", "balloon.current", "net.0.rx.bytes"). */
  stats: Record<string, TypedParamValue>;
}

export function connectListAllDomains(client: LibvirtClient, flags = 0, opts?: CallOptions): Promise<DomainRef[]> {
  return client.call(
    Proc.CONNECT_LIST_ALL_DOMAINS,
    // need_results = 1: we want the domains, not only their count.
    (w) => w.int(1).uint(flags),
    (r) => {
      const doms = r.array(readDomain, Limits.DOMAIN_LIST_MAX);
      r.uint(); // ret: the count again
      return doms;
    },
    opts,
  );
}

export function domainLookupByUuid(client: LibvirtClient, uuid: string, opts?: CallOptions): Promise<DomainRef> {
  return client.call(Proc.DOMAIN_LOOKUP_BY_UUID, (w) => w.fixedOpaque(uuidToBytes(uuid), 16), readDomain, opts);
}

export function domainLookupByName(client: LibvirtClient, name: string, opts?: CallOptions): Promise<DomainRef> {
  return client.call(Proc.DOMAIN_LOOKUP_BY_NAME, (w) => w.string(name), readDomain, opts);
}

export function domainGetXmlDesc(client: LibvirtClient, dom: DomainRef, flags = 0, opts?: CallOptions): Promise<string> {
  return client.call(
    Proc.DOMAIN_GET_XML_DESC,
    (w) => domFlags(w, dom, flags),
    (r) => r.string(),
    opts,
  );
}

export function domainGetState(client: LibvirtClient, dom: DomainRef, opts?: CallOptions): Promise<DomainStateInfo> {
  return client.call(
    Proc.DOMAIN_GET_STATE,
    (w) => domFlags(w, dom, 0),
    (r) => ({ state: r.int(), reason: r.int() }),
    opts,
  );
}

export function domainGetInfo(client: LibvirtClient, dom: DomainRef, opts?: CallOptions): Promise<DomainInfo> {
  return client.call(
    Proc.DOMAIN_GET_INFO,
    (w) => writeDomain(w, dom),
    // u_char and u_short travel as full 4-byte XDR unsigned ints.
    (r) => ({ state: r.uint(), maxMem: r.uhyper(), memory: r.uhyper(), nrVirtCpu: r.uint(), cpuTime: r.uhyper() }),
    opts,
  );
}

/** Starts a defined domain; returns it with its new id. */
export function domainCreate(client: LibvirtClient, dom: DomainRef, flags = 0, opts?: CallOptions): Promise<DomainRef> {
  return client.call(Proc.DOMAIN_CREATE_WITH_FLAGS, (w) => domFlags(w, dom, flags), readDomain, opts);
}

/** Asks the guest to shut down (ACPI by default); returns before the guest is off. */
export function domainShutdown(client: LibvirtClient, dom: DomainRef, flags = 0, opts?: CallOptions): Promise<void> {
  return client.call(Proc.DOMAIN_SHUTDOWN_FLAGS, (w) => domFlags(w, dom, flags), undefined, opts);
}

export function domainReboot(client: LibvirtClient, dom: DomainRef, flags = 0, opts?: CallOptions): Promise<void> {
  return client.call(Proc.DOMAIN_REBOOT, (w) => domFlags(w, dom, flags), undefined, opts);
}

/** Hard power-off. */
export function domainDestroy(client: LibvirtClient, dom: DomainRef, flags = 0, opts?: CallOptions): Promise<void> {
  return client.call(Proc.DOMAIN_DESTROY_FLAGS, (w) => domFlags(w, dom, flags), undefined, opts);
}

/** Hard reset, like pressing the reset button. */
export function domainReset(client: LibvirtClient, dom: DomainRef, opts?: CallOptions): Promise<void> {
  return client.call(Proc.DOMAIN_RESET, (w) => domFlags(w, dom, 0), undefined, opts);
}

export function domainSuspend(client: LibvirtClient, dom: DomainRef, opts?: CallOptions): Promise<void> {
  return client.call(Proc.DOMAIN_SUSPEND, (w) => writeDomain(w, dom), undefined, opts);
}

export function domainResume(client: LibvirtClient, dom: DomainRef, opts?: CallOptions): Promise<void> {
  return client.call(Proc.DOMAIN_RESUME, (w) => writeDomain(w, dom), undefined, opts);
}

export function domainUndefine(client: LibvirtClient, dom: DomainRef, flags = 0, opts?: CallOptions): Promise<void> {
  return client.call(Proc.DOMAIN_UNDEFINE_FLAGS, (w) => domFlags(w, dom, flags), undefined, opts);
}

export function domainGetAutostart(client: LibvirtClient, dom: DomainRef, opts?: CallOptions): Promise<boolean> {
  return client.call(
    Proc.DOMAIN_GET_AUTOSTART,
    (w) => writeDomain(w, dom),
    (r) => r.int() !== 0,
    opts,
  );
}

/** Whether the domain has a persistent definition (a transient one vanishes when it stops). */
export function domainIsPersistent(client: LibvirtClient, dom: DomainRef, opts?: CallOptions): Promise<boolean> {
  return client.call(
    Proc.DOMAIN_IS_PERSISTENT,
    (w) => writeDomain(w, dom),
    (r) => r.int() !== 0,
    opts,
  );
}

export function domainIsActive(client: LibvirtClient, dom: DomainRef, opts?: CallOptions): Promise<boolean> {
  return client.call(
    Proc.DOMAIN_IS_ACTIVE,
    (w) => writeDomain(w, dom),
    (r) => r.int() !== 0,
    opts,
  );
}

export function domainSetAutostart(client: LibvirtClient, dom: DomainRef, autostart: boolean, opts?: CallOptions): Promise<void> {
  return client.call(
    Proc.DOMAIN_SET_AUTOSTART,
    (w) => {
      writeDomain(w, dom);
      w.int(autostart ? 1 : 0);
    },
    undefined,
    opts,
  );
}

/**
 * Sets the description, title (`key`/`uri` null) or a custom element (MetadataType.*);
 * `metadata` null removes it. `flags` = AffectFlags. Raises a METADATA_CHANGE event.
 */
export function domainSetMetadata(
  client: LibvirtClient,
  dom: DomainRef,
  type: number,
  metadata: string | null,
  key: string | null = null,
  uri: string | null = null,
  flags = 0,
  opts?: CallOptions,
): Promise<void> {
  return client.call(
    Proc.DOMAIN_SET_METADATA,
    (w) => {
      writeDomain(w, dom);
      w.int(type);
      for (const s of [metadata, key, uri]) w.optional(s, (x, v) => x.string(v));
      w.uint(flags);
    },
    undefined,
    opts,
  );
}

/** Defines (or redefines) a persistent domain from XML. */
export function domainDefineXml(client: LibvirtClient, xml: string, flags = 0, opts?: CallOptions): Promise<DomainRef> {
  return client.call(Proc.DOMAIN_DEFINE_XML_FLAGS, (w) => w.string(xml).uint(flags), readDomain, opts);
}

/** Sends key presses; `keycodes` in `codeset` (0 = Linux keycodes), at most 16 at once. */
export function domainSendKey(
  client: LibvirtClient,
  dom: DomainRef,
  codeset: number,
  holdtimeMs: number,
  keycodes: readonly number[],
  opts?: CallOptions,
): Promise<void> {
  return client.call(
    Proc.DOMAIN_SEND_KEY,
    (w) => {
      writeDomain(w, dom);
      w.uint(codeset)
        .uint(holdtimeMs)
        .array(keycodes, (x, k) => x.uint(k), Limits.SEND_KEY_MAX)
        .uint(0);
    },
    undefined,
    opts,
  );
}

/**
 * Bulk statistics in one round trip. `statsMask` = DomainStatsTypes bits (0 = all that
 * the driver supports); `flags` = GetAllDomainStatsFlags. 64-bit counters are bigint.
 * `doms` limits the query to those domains (libvirt's virDomainListGetStats).
 */
export function connectGetAllDomainStats(
  client: LibvirtClient,
  statsMask = 0,
  flags = 0,
  doms: readonly DomainRef[] = [],
  opts?: CallOptions,
): Promise<DomainStatsRecord[]> {
  return client.call(
    Proc.CONNECT_GET_ALL_DOMAIN_STATS,
    (w) => w.array(doms, writeDomain, Limits.DOMAIN_LIST_MAX).uint(statsMask).uint(flags),
    (r) =>
      r.array((x) => {
        const dom = readDomain(x);
        const params = x.array(readTypedParam, Limits.CONNECT_GET_ALL_DOMAIN_STATS_MAX);
        return { dom, stats: typedParamsToRecord(params) };
      }, Limits.CONNECT_GET_ALL_DOMAIN_STATS_MAX),
    opts,
  );
}

function domFlags(w: Parameters<typeof writeDomain>[0], dom: DomainRef, flags: number): void {
  writeDomain(w, dom);
  w.uint(flags);
}
