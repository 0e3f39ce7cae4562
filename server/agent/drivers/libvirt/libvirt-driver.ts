// HypervisorDriver over libvirt's RPC protocol. Keeps one connection to libvirtd, registers
// for domain events and turns each into a fresh summary of that domain (pushed, never
// polled). When libvirtd goes away it reconnects with backoff, registers again and sends a
// full inventory, so the server sees the gap and then the true state.
import { DOMAIN_STATES, type AgentEvent, type DomainAction, type DomainState, type DomainSummary } from "../../../protocol";
import {
  LibvirtClient,
  LibvirtError,
  connectGetAllDomainStats,
  connectGetLibVersion,
  connectGetVersion,
  connectListAllDomains,
  domainCreate,
  domainDestroy,
  domainGetState,
  domainGetAutostart,
  domainGetXmlDesc,
  domainIsPersistent,
  domainLookupByUuid,
  domainReboot,
  domainReset,
  domainResume,
  domainSetAutostart,
  domainShutdown,
  domainSuspend,
  domainUndefine,
  storageVolDelete,
  storageVolLookupByPath,
  type DomainRef,
} from "../../libvirt";
import { DomainEventId, DomainStatsTypes, GetAllDomainStatsFlags, LifecycleEvent, ListDomainsFlags } from "../../libvirt/procedures";
import { forwardPoolNetworkEvents, registerPoolNetworkEvents } from "./pool-network-events";
import { DriverError, type DomainActionOptions, type HypervisorDriver } from "../driver";
import { parseDomainXml, type XmlFacts } from "./domain-xml";
import type { LibvirtAreaContext } from "./areas/context";
import { libvirtStorage } from "./areas/storage";
import { libvirtUploads } from "./areas/uploads";
import { libvirtNetwork } from "./areas/network";
import { libvirtVmCreate } from "./areas/vm-create";
import { libvirtVmEdit } from "./areas/vm-edit";
import { libvirtImport } from "./areas/import";
import { libvirtBackups } from "./areas/backup";
import { libvirtMigration } from "./migration-area";
import { ReconnectingDriver } from "../reconnecting-driver";
import { KeyedQueue } from "../../keyed-queue";

// Undefine also drops managed-save images, snapshot/checkpoint metadata and NVRAM, which
// would otherwise make libvirt refuse.
const UNDEFINE_FLAGS = 1 | 2 | 4 | 16;
const NO_DOMAIN = 42;
const STATS_GROUPS =
  DomainStatsTypes.STATE |
  DomainStatsTypes.CPU_TOTAL |
  DomainStatsTypes.BALLOON |
  DomainStatsTypes.VCPU |
  DomainStatsTypes.INTERFACE |
  DomainStatsTypes.BLOCK;
// state.state values that have live statistics: running, blocked, paused.
const LIVE_STATES = new Set([1, 2, 3]);
const OPERATION_INVALID = 55;

export interface LibvirtDriverOptions {
  uri: string;
  socketPath: string | null;
  log?: (m: string) => void;
}

export function createLibvirtDriver(o: LibvirtDriverOptions): LibvirtDriver {
  return new LibvirtDriver(o);
}

export class LibvirtDriver extends ReconnectingDriver implements HypervisorDriver {
  private client: LibvirtClient | null = null;
  /** Events for one domain are applied in order. */
  private readonly refreshing = new KeyedQueue();
  /** Refreshes queued but not started, by uuid: later events for the domain join them. */
  private readonly queued = new Map<string, { dom: DomainRef; cause: string }>();
  /** Parsed XML by uuid, with the domain id it was read under (live XML differs from inactive). */
  private readonly xmlCache = new Map<string, { facts: XmlFacts; id: number }>();
  /**
   * Bumped whenever a domain's XML may have changed, so that a read which was already in
   * flight does not put the old XML back into the cache.
   */
  private readonly xmlGen = new Map<string, number>();
  /** uuid → name, for building domain references without a lookup per stats call. */
  private readonly names = new Map<string, string>();

  private readonly area: LibvirtAreaContext = {
    need: () => this.need(),
    changed: (dom, cause) => this.onDomainEvent(dom, cause),
    summary: async (uuid) => {
      const c = this.need();
      this.invalidateXml(uuid);
      return this.summary(c, await this.lookup(c, uuid), undefined, false);
    },
  };
  readonly storage = libvirtStorage(this.area);
  readonly uploads = libvirtUploads(this.area);
  readonly networks = libvirtNetwork(this.area);
  readonly vmCreate = libvirtVmCreate(this.area);
  readonly vmEdit = libvirtVmEdit(this.area);
  readonly imports = libvirtImport(this.area);
  readonly backups = libvirtBackups(this.area);
  readonly migrations = libvirtMigration(this.area);

  constructor(private readonly o: LibvirtDriverOptions) {
    super("libvirt", { firstMs: 250, maxMs: 5000 }, o.log);
  }

  get connected(): boolean {
    return this.client?.connected ?? false;
  }

  async resync(send: (e: AgentEvent) => void): Promise<void> {
    send({ kind: "libvirt.status", connected: this.connected, error: this.connected ? null : "libvirt is not connected" });
    if (this.connected) send({ kind: "domain.inventory", domains: await this.listDomains() });
  }

  protected async disconnect(): Promise<void> {
    await this.client?.close();
  }

  protected async connect(): Promise<void> {
    const client = new LibvirtClient({
      socketPath: this.o.socketPath ?? undefined,
      callTimeoutMs: 60_000,
      keepalive: { intervalMs: 5000, count: 3 },
    });
    client.on("error", () => undefined);
    client.on("lifecycle", (e) => this.onDomainEvent(e.dom, e.event === LifecycleEvent.UNDEFINED ? "undefined" : lifecycleCause(e.event)));
    client.on("reboot", (e) => this.onDomainEvent(e.dom, "reboot"));
    client.on("device-added", (e) => this.onDomainEvent(e.dom, "device-added"));
    client.on("device-removed", (e) => this.onDomainEvent(e.dom, "device-removed"));
    client.on("agent-lifecycle", (e) => this.onDomainEvent(e.dom, "agent-lifecycle"));
    client.on("metadata-change", (e) => this.onDomainEvent(e.dom, "metadata-change"));
    client.on("balloon-change", (e) => this.onDomainEvent(e.dom, "balloon-change"));
    forwardPoolNetworkEvents(client, (e) => this.emit(e));
    client.on("close", (err) => {
      if (this.client !== client) return;
      this.client = null;
      this.xmlCache.clear();
      this.xmlGen.clear();
      this.queued.clear();
      this.lost(
        { kind: "libvirt.status", connected: false, error: err?.message ?? "connection closed" },
        `connection lost: ${err?.message ?? "closed"}`,
      );
    });
    try {
      await client.connect(this.o.uri);
      const ids = [
        DomainEventId.LIFECYCLE,
        DomainEventId.REBOOT,
        DomainEventId.DEVICE_ADDED,
        DomainEventId.DEVICE_REMOVED,
        DomainEventId.AGENT_LIFECYCLE,
        DomainEventId.METADATA_CHANGE,
        DomainEventId.BALLOON_CHANGE,
      ];
      await Promise.all([...ids.map((id) => client.registerDomainEvent(id)), registerPoolNetworkEvents(client)]);
    } catch (err) {
      await client.close().catch(() => undefined);
      this.retry(
        { kind: "libvirt.status", connected: false, error: (err as Error).message },
        `cannot connect to ${this.o.uri}: ${(err as Error).message}`,
      );
      throw err;
    }
    this.client = client;
    this.backoff.succeeded();
    this.log(`connected to ${this.o.uri} via ${client.socketPath}`);
    this.emit({ kind: "libvirt.status", connected: true, error: null });
    this.emit({ kind: "domain.inventory", domains: await this.listDomains() });
  }

  private need(): LibvirtClient {
    if (!this.client?.connected) throw new DriverError("libvirt_unavailable", `libvirt (${this.o.uri}) is not connected`);
    return this.client;
  }

  async versions(): Promise<{ libvirt: string | null; qemu: string | null }> {
    const c = this.need();
    const fmt = (v: { major: number; minor: number; release: number }) => `${v.major}.${v.minor}.${v.release}`;
    const [lib, hv] = await Promise.all([connectGetLibVersion(c), connectGetVersion(c).catch(() => null)]);
    return { libvirt: fmt(lib), qemu: hv ? fmt(hv) : null };
  }

  async listDomains(): Promise<DomainSummary[]> {
    const c = this.need();
    // Three list calls give identity, persistence and autostart for every domain; states
    // and XML are fetched pipelined on the one socket.
    const [all, persistent, autostart] = await Promise.all([
      connectListAllDomains(c, 0),
      connectListAllDomains(c, ListDomainsFlags.PERSISTENT),
      connectListAllDomains(c, ListDomainsFlags.AUTOSTART),
    ]);
    const p = new Set(persistent.map((d) => d.uuid));
    const a = new Set(autostart.map((d) => d.uuid));
    // The listed references carry current ids: no lookup per domain.
    const out = await Promise.all(
      all.map((d) => this.summary(c, d, { persistent: p.has(d.uuid), autostart: a.has(d.uuid) }, false).catch(() => null)),
    );
    return out.filter((d): d is DomainSummary => d !== null);
  }

  async getDomain(uuid: string): Promise<{ domain: DomainSummary; xml: string }> {
    const c = this.need();
    const dom = await this.lookup(c, uuid);
    this.invalidateXml(uuid);
    const gen = this.xmlGen.get(uuid);
    const xml = await wrap(domainGetXmlDesc(c, dom));
    if (this.xmlGen.get(uuid) === gen) this.xmlCache.set(uuid, { facts: parseDomainXml(xml), id: dom.id });
    return { domain: await this.summary(c, dom, undefined, false), xml };
  }

  async domainAction(uuid: string, action: DomainAction, opts: DomainActionOptions): Promise<DomainSummary | null> {
    const c = this.need();
    const dom = await this.lookup(c, uuid);
    // Disks to delete are read before the definition (and its XML) is gone.
    const storage =
      action === "undefine" && opts.removeStorage
        ? parseDomainXml(await wrap(domainGetXmlDesc(c, dom))).disks.filter((d) => d.device === "disk" && d.source)
        : [];
    const run: Record<DomainAction, () => Promise<unknown>> = {
      start: () => domainCreate(c, dom),
      shutdown: () => domainShutdown(c, dom),
      reboot: () => domainReboot(c, dom),
      destroy: () => domainDestroy(c, dom),
      reset: () => domainReset(c, dom),
      suspend: () => domainSuspend(c, dom),
      resume: () => domainResume(c, dom),
      undefine: () => domainUndefine(c, dom, UNDEFINE_FLAGS),
      autostart: () => domainSetAutostart(c, dom, opts.enabled ?? false),
    };
    await wrap(run[action]());
    this.invalidateXml(uuid);
    if (action === "undefine") {
      const failures: string[] = [];
      for (const d of storage) {
        try {
          await storageVolDelete(c, await storageVolLookupByPath(c, d.source!));
        } catch (err) {
          failures.push(`${d.source} (${(err as Error).message})`);
        }
      }
      if (failures.length)
        throw new DriverError("libvirt_error", `The machine was removed, but these disks were not deleted: ${failures.join("; ")}`);
      const still = await domainLookupByUuid(c, uuid).catch(() => null);
      return still ? this.summary(c, still, undefined, false) : null;
    }
    // The id changes on start and stop: the summary looks the domain up again.
    const fresh = await this.summary(c, dom);
    // Autostart changes raise no libvirt event: push the change ourselves.
    if (action === "autostart") this.emit({ kind: "domain.changed", cause: "autostart", domain: fresh });
    return fresh;
  }

  async domainStats(uuids: readonly string[] | null): Promise<{ uuid: string; stats: Record<string, number | bigint | string | boolean> }[]> {
    const c = this.need();
    let recs;
    if (uuids === null) {
      recs = await wrap(connectGetAllDomainStats(c, STATS_GROUPS, GetAllDomainStatsFlags.ACTIVE));
    } else {
      // libvirt looks domains up by UUID; the name only has to be present.
      const refs = uuids.filter((u) => this.names.has(u)).map((uuid) => ({ uuid, name: this.names.get(uuid)!, id: -1 }));
      if (!refs.length) return [];
      recs = await wrap(connectGetAllDomainStats(c, STATS_GROUPS, 0, refs)).catch((err: unknown) => {
        // One undefined domain fails the whole list call: fall back to all active ones.
        if (err instanceof DriverError && err.code === "not_found")
          return wrap(connectGetAllDomainStats(c, STATS_GROUPS, GetAllDomainStatsFlags.ACTIVE));
        throw err;
      });
      if (recs.length && uuids.length < recs.length) {
        const want = new Set(uuids);
        recs = recs.filter((r) => want.has(r.dom.uuid));
      }
    }
    return recs.filter((r) => LIVE_STATES.has(Number(r.stats["state.state"]))).map((r) => ({ uuid: r.dom.uuid, stats: r.stats }));
  }

  private async lookup(c: LibvirtClient, uuid: string): Promise<DomainRef> {
    return wrap(domainLookupByUuid(c, uuid));
  }

  /**
   * A domain's row from libvirt. Every read goes out at once, pipelined on the one socket
   * (one round trip whatever their number): the lookup for the current id (`lookup`: the
   * reference may predate a start or stop), state, autostart, persistence and, unless
   * cached, the XML. `known` flags come from the inventory's list calls.
   */
  private async summary(
    c: LibvirtClient,
    dom: DomainRef,
    known?: { persistent: boolean; autostart: boolean },
    lookup = true,
  ): Promise<DomainSummary> {
    this.names.set(dom.uuid, dom.name);
    const cached = this.xmlCache.get(dom.uuid);
    const gen = this.xmlGen.get(dom.uuid);
    const [ref, state, xml, autostart, persistent] = await Promise.all([
      lookup ? wrap(domainLookupByUuid(c, dom.uuid)) : dom,
      wrap(domainGetState(c, dom)),
      cached ? null : wrap(domainGetXmlDesc(c, dom)),
      known ? known.autostart : wrap(domainGetAutostart(c, dom)),
      known ? known.persistent : wrap(domainIsPersistent(c, dom)),
    ]);
    let facts = cached?.facts;
    // Cached XML from before a start or stop (another id) no longer describes the domain:
    // read it again, a second round trip only in that case.
    const xmlNow = xml ?? (cached && cached.id !== ref.id ? await wrap(domainGetXmlDesc(c, dom)) : null);
    if (xmlNow !== null) {
      facts = parseDomainXml(xmlNow);
      if (this.xmlGen.get(dom.uuid) === gen) this.xmlCache.set(dom.uuid, { facts, id: ref.id });
    }
    return {
      uuid: dom.uuid,
      engine: "libvirt",
      name: ref.name,
      // libvirt's own id: -1 unless the domain has a process.
      id: ref.id,
      state: (DOMAIN_STATES[state.state] ?? "nostate") as DomainState,
      stateReason: state.reason,
      autostart,
      persistent,
      ...facts!,
    };
  }

  private invalidateXml(uuid: string): void {
    this.xmlCache.delete(uuid);
    this.xmlGen.set(uuid, (this.xmlGen.get(uuid) ?? 0) + 1);
  }

  private onDomainEvent(dom: DomainRef, cause: string): void {
    // Live XML changes on start/stop (VNC port, pty path: the id changes too, and libvirt
    // may announce a start with "resumed" first), on device and balloon changes.
    const cached = this.xmlCache.get(dom.uuid);
    if (!XML_UNCHANGED.has(cause) || (cached && cached.id !== dom.id)) this.invalidateXml(dom.uuid);
    // A refresh queued but not started yet reads everything afresh: join it rather than
    // queue one more round trip behind it.
    const waiting = this.queued.get(dom.uuid);
    if (waiting) {
      waiting.cause = cause;
      return;
    }
    this.queued.set(dom.uuid, { dom, cause });
    this.refreshing.run(dom.uuid, async () => {
      const job = this.queued.get(dom.uuid);
      this.queued.delete(dom.uuid);
      const c = this.client;
      if (!job || !c?.connected) return;
      try {
        this.emit({ kind: "domain.changed", cause: job.cause, domain: await this.summary(c, job.dom) });
      } catch (err) {
        // Gone between the event and our reads (undefined, or a transient domain that stopped).
        if ((err instanceof LibvirtError && err.code === NO_DOMAIN) || (err instanceof DriverError && err.code === "not_found")) {
          this.xmlCache.delete(dom.uuid);
          this.xmlGen.delete(dom.uuid);
          this.names.delete(dom.uuid);
          this.emit({ kind: "domain.removed", uuid: dom.uuid, name: dom.name });
        } else this.log(`refresh of ${dom.name} after ${job.cause} failed: ${(err as Error).message}`);
      }
    });
  }
}

/** Events after which the domain's XML is as it was. */
const XML_UNCHANGED = new Set(["suspended", "resumed", "agent-lifecycle", "metadata-change"]);

function lifecycleCause(event: number): string {
  const names = ["defined", "undefined", "started", "suspended", "resumed", "stopped", "shutdown", "pmsuspended", "crashed"];
  return names[event] ?? `lifecycle-${event}`;
}

/** libvirt's refusals become protocol error codes with libvirt's own message. */
async function wrap<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (err) {
    if (err instanceof LibvirtError) {
      if (err.code === NO_DOMAIN) throw new DriverError("not_found", err.message);
      if (err.code === OPERATION_INVALID) throw new DriverError("invalid_state", err.message);
      throw new DriverError("libvirt_error", err.message);
    }
    if (err instanceof DriverError) throw err;
    throw new DriverError("libvirt_unavailable", (err as Error).message);
  }
}
