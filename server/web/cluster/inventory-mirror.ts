// Read-only copies of the inventory of hosts whose agents live peers hold (decision 0005),
// so this server's lists, search, dashboard and tasks see the whole fleet, and the path
// of their calls (one hop to the holder). Seeded from each peer's GET /internal/inventory
// when it is first seen alive (checked every heartbeat) and again after the event relay
// lost events; kept current from the row events the relay injects; host.changed (the
// agent connected, libvirt or the engine came or went) re-reads that one host from its
// holder. A peer found dead, or a host its holder no longer reports, goes offline here
// and its rows turn stale, as a local host's do when its agent leaves.
import type { BrowserEvent, ContainerRow, MachineRow, MethodName, MethodParams, MethodResult, MetricSample } from "../../protocol";
import { AgentCallError, type CallOptions } from "../agents/agent-connection";
import type { HostSnapshot, MirroredInventory, RemoteHosts } from "../agents/host-inventory";
import type { Db } from "../db/client";
import type { ClusterBus, Forwarded } from "./cluster-bus";
import type { PeerCalls } from "./peer-calls";
import { DEAD_AFTER_MS, HEARTBEAT_MS, type ServerRegistry } from "./server-registry";

type Mirrored = MirroredInventory & { serverId: string; url: string };
type Event = Parameters<ClusterBus["publish"]>[0];

/** Several host.changed in a burst re-read the host once. */
const REFRESH_DEBOUNCE_MS = 30;
const WATCH_RETRY_MS = 1_000;
/** Row events kept to re-apply over a snapshot that was taken before they arrived. */
const LOG_SIZE = 5_000;

type RowEvent = Extract<BrowserEvent, { type: "machine.upsert" | "machine.remove" | "container.upsert" | "container.remove" }>;

export interface MirrorDeps {
  db: Db;
  bus: ClusterBus;
  registry: ServerRegistry;
  calls: PeerCalls;
  /** The host's agent is connected to this server (its own inventory wins). */
  isLocal: (hostId: string) => boolean;
  /** Samples a peer streamed for this server's subscribers. */
  onSamples: (hostId: string, samples: MetricSample[]) => void;
}

function placementless<T extends MachineRow | ContainerRow>(row: T): Omit<T, "hostId" | "hostName" | "stale" | "observedAt" | "tags"> {
  const { hostId: _h, hostName: _n, stale: _s, observedAt: _o, tags: _t, ...rest } = row;
  return rest;
}

export class InventoryMirror implements RemoteHosts {
  private readonly hosts = new Map<string, Mirrored>();
  /** Live peers already seeded from; cleared to re-seed everything. */
  private readonly seeded = new Set<string>();
  private readonly refused = new Set<string>();
  private readonly refreshTimers = new Map<string, NodeJS.Timeout>();
  private readonly watches = new Map<string, AbortController>();
  private timer: NodeJS.Timeout | null = null;
  private offRemote: (() => void) | null = null;
  private polling: Promise<void> = Promise.resolve();
  private readonly log: { n: number; hostId: string; e: RowEvent }[] = [];
  private logged = 0;
  /** Seeds and refreshes done, for tests and /readyz-style checks. */
  readonly stats = { seeds: 0, refreshes: 0, errors: 0 };

  constructor(private readonly d: MirrorDeps) {}

  async start(): Promise<void> {
    this.offRemote = this.d.bus.onRemote((f, origin) => this.apply(f, origin));
    await this.poll();
    this.timer = setInterval(() => void this.poll(), HEARTBEAT_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.offRemote?.();
    for (const t of this.refreshTimers.values()) clearTimeout(t);
    for (const w of this.watches.values()) w.abort();
  }

  /** Events may have been missed (relay reconnect, lost batch): re-read every peer. */
  resync(): void {
    this.seeded.clear();
    void this.poll();
  }

  /** Servers found dead: their hosts are offline here until their agents say hello elsewhere. */
  serversDead(ids: readonly string[]): void {
    const dead = new Set(ids);
    for (const [hostId, h] of this.hosts) if (dead.has(h.serverId)) this.setOffline(hostId, h);
    for (const id of ids) this.seeded.delete(id);
  }

  // ---- RemoteHosts ----

  hostIds(): Iterable<string> {
    return this.hosts.keys();
  }

  inventory(hostId: string): MirroredInventory | undefined {
    return this.hosts.get(hostId);
  }

  async call<M extends MethodName>(
    hostId: string,
    method: M,
    params: MethodParams<M>,
    timeoutMs?: number,
    opts?: CallOptions,
  ): Promise<MethodResult<M>> {
    const holder = await this.holder(hostId);
    if (!holder) throw new AgentCallError("offline", `host ${this.hosts.get(hostId)?.name ?? hostId} is offline (its agent is not connected)`);
    return this.d.calls.call(holder.url, hostId, method, params, timeoutMs, opts);
  }

  watch(hostId: string, targets: string[]): { watching: number } {
    this.watches.get(hostId)?.abort();
    this.watches.delete(hostId);
    if (!targets.length) return { watching: 0 };
    const ctl = new AbortController();
    this.watches.set(hostId, ctl);
    void this.streamSamples(hostId, targets, ctl.signal);
    return { watching: targets.length };
  }

  // ---- internals ----

  /** The live peer holding the host: the mirror's answer when it has one, else the registry's. */
  private async holder(hostId: string): Promise<{ serverId: string; url: string } | null> {
    const h = this.hosts.get(hostId);
    if (h?.online) return { serverId: h.serverId, url: h.url };
    const found = await this.d.registry.holder(hostId);
    return found && found.serverId !== this.d.registry.serverId ? found : null;
  }

  /** Follows the peer's stream for as long as this server wants samples and the host is not here. */
  private async streamSamples(hostId: string, targets: string[], signal: AbortSignal): Promise<void> {
    while (!signal.aborted && !this.d.isLocal(hostId)) {
      const holder = await this.holder(hostId).catch(() => null);
      if (holder)
        await this.d.calls
          .watch(holder.url, hostId, targets, (s) => this.d.onSamples(hostId, s), signal)
          .catch((err: unknown) => signal.aborted || console.warn(`[cluster] metric stream of host ${hostId}: ${(err as Error).message}`));
      if (signal.aborted) return;
      await new Promise((r) => setTimeout(r, WATCH_RETRY_MS).unref());
    }
  }

  /** Every heartbeat: peers newly alive are seeded from, peers gone are offline. */
  private poll(): Promise<void> {
    this.polling = this.polling.then(async () => {
      const live = await this.d.db.server.findMany({
        where: { heartbeatAt: { gt: new Date(Date.now() - DEAD_AFTER_MS) }, id: { not: this.d.registry.serverId } },
        select: { id: true, url: true },
      });
      const ids = new Set(live.map((s) => s.id));
      const gone = [...new Set([...this.hosts.values()].map((h) => h.serverId))].filter((id) => !ids.has(id));
      if (gone.length) this.serversDead(gone);
      for (const s of live)
        if (!this.seeded.has(s.id))
          await this.seed(s.id, s.url).catch((err: unknown) => {
            // Retried every heartbeat; said once per peer (a peer without our secret refuses each time).
            if (this.refused.has(s.id)) return;
            this.refused.add(s.id);
            this.failed(`seed from ${s.url}`, err);
          });
    });
    this.polling = this.polling.catch((err: unknown) => this.failed("poll", err));
    return this.polling;
  }

  private async seed(serverId: string, url: string): Promise<void> {
    const from = this.logged;
    const answer = await this.d.calls.inventory(url);
    this.seeded.add(serverId);
    this.refused.delete(serverId);
    this.stats.seeds++;
    const reported = new Set<string>();
    for (const s of answer.hosts) {
      reported.add(s.hostId);
      this.take(serverId, url, s, from);
    }
    // Hosts this peer held when last seen and no longer reports: their agents left it.
    for (const [hostId, h] of this.hosts) if (h.serverId === serverId && !reported.has(hostId)) this.setOffline(hostId, h);
  }

  /** A host's snapshot from its holder replaces what was mirrored of it. */
  private take(serverId: string, url: string, s: HostSnapshot, from: number): void {
    if (this.d.isLocal(s.hostId)) return;
    const before = this.hosts.get(s.hostId);
    this.hosts.set(s.hostId, {
      serverId,
      url,
      name: s.name,
      online: true,
      observedAt: s.observedAt,
      libvirtConnected: s.libvirtConnected,
      synced: s.synced,
      engine: s.engine,
      domains: new Map(s.domains.map((x) => [x.uuid, x])),
      containers: new Map(s.containers.map((x) => [x.id, x])),
    });
    // What arrived while the snapshot was on its way is newer than it.
    for (const l of this.log) if (l.n > from && l.hostId === s.hostId) this.applyRow(this.hosts.get(s.hostId)!, l.e);
    // Only this server's browsers: the holder's own already heard of the change.
    if (!before?.online) this.local({ type: "machines.host", hostId: s.hostId, stale: false, observedAt: new Date(s.observedAt).toISOString() });
    if (!before?.online || before.libvirtConnected !== s.libvirtConnected || JSON.stringify(before.engine) !== JSON.stringify(s.engine))
      this.local({ type: "host.changed", hostId: s.hostId });
  }

  private setOffline(hostId: string, h: Mirrored): void {
    if (!h.online) return;
    h.online = false;
    this.local({ type: "machines.host", hostId, stale: true, observedAt: new Date(h.observedAt).toISOString() });
    this.local({ type: "host.changed", hostId });
  }

  private local(e: Event): void {
    this.d.bus.inject({ m: "publish", args: [e] });
  }

  /** A peer's event, before this server's sockets get it. */
  private apply(f: Forwarded, origin: string): void {
    if (f.m !== "publish") return;
    const e = f.args[0] as BrowserEvent;
    const hostId =
      "hostId" in e ? e.hostId : e.type === "machine.upsert" ? e.machine.hostId : e.type === "container.upsert" ? e.container.hostId : null;
    if (!hostId || this.d.isLocal(hostId)) return;
    const h = this.hosts.get(hostId);
    switch (e.type) {
      case "machine.upsert":
      case "machine.remove":
      case "container.upsert":
      case "container.remove":
        this.log.push({ n: ++this.logged, hostId, e });
        if (this.log.length > LOG_SIZE) this.log.splice(0, this.log.length - LOG_SIZE);
        if (h) this.applyRow(h, e);
        else this.refresh(hostId);
        return;
      case "machines.host":
        // The origin's agent left (stale) or reported a full inventory: which server holds it now?
        if (e.stale && h && h.serverId === origin) this.setOffline(hostId, h);
        return this.refresh(hostId);
      case "host.changed":
        return this.refresh(hostId);
      default:
        return;
    }
  }

  private applyRow(h: Mirrored, e: RowEvent): void {
    if (e.type === "machine.upsert") {
      h.domains.set(e.machine.uuid, placementless(e.machine));
      h.observedAt = Date.parse(e.machine.observedAt) || Date.now();
    } else if (e.type === "machine.remove") h.domains.delete(e.uuid);
    else if (e.type === "container.upsert") h.containers.set(e.container.id, placementless(e.container));
    else h.containers.delete(e.id);
  }

  /** Re-reads one host from the server holding it (debounced). */
  private refresh(hostId: string): void {
    if (this.refreshTimers.has(hostId)) return;
    const t = setTimeout(() => {
      this.refreshTimers.delete(hostId);
      void this.refreshNow(hostId).catch((err: unknown) => this.failed(`refresh of ${hostId}`, err));
    }, REFRESH_DEBOUNCE_MS);
    t.unref();
    this.refreshTimers.set(hostId, t);
  }

  private async refreshNow(hostId: string): Promise<void> {
    this.stats.refreshes++;
    const holder = await this.d.registry.holder(hostId);
    const h = this.hosts.get(hostId);
    if (!holder || holder.serverId === this.d.registry.serverId) {
      if (h) this.setOffline(hostId, h);
      return;
    }
    const from = this.logged;
    const answer = await this.d.calls.inventory(holder.url, [hostId]);
    const s = answer.hosts.find((x) => x.hostId === hostId);
    if (s) this.take(holder.serverId, holder.url, s, from);
    else if (h) this.setOffline(hostId, h);
  }

  private failed(what: string, err: unknown): void {
    this.stats.errors++;
    console.warn(`[cluster] inventory mirror ${what} failed: ${(err as Error)?.message ?? String(err)}`);
  }
}
