// The agent hub: one live connection per host, the fleet's inventory as the agents last
// reported it, and calls to agents with timeouts. A call to an offline host fails at once.
// With peer servers (decision 0005) the hub also reads the cluster's inventory mirror for
// hosts whose agent another server holds, and sends their calls there (one hop).
import type { WebSocket } from "ws";
import type {
  AgentEvent,
  ContainerRow,
  ContainerSummary,
  DomainSummary,
  EngineInfo,
  HostFacts,
  MachineRow,
  MethodName,
  MethodParams,
  MethodResult,
} from "../../protocol";
import type { Db } from "../db/client";
import type { EventBus } from "../events/bus";
import { AgentCallError, AgentConnection, type CallOptions } from "./agent-connection";
import { HubEmitter, type HubEvents } from "./hub-events";
import type { HostInventory, HostSnapshot, RemoteHosts } from "./host-inventory";
import { LOCAL, WatchDemand } from "./watch-demand";

const HEARTBEAT_MS = 4000;

/** The tags of a VM or container (the access service's tag index; the agent knows none). */
export type TagLookup = (type: "vm" | "container", hostId: string, id: string) => readonly string[];

export class AgentHub {
  private readonly conns = new Map<string, AgentConnection>();
  private readonly inventories = new Map<string, HostInventory>();
  private readonly names = new Map<string, string>();
  private readonly heartbeat: NodeJS.Timeout;
  private readonly events = new HubEmitter();
  private tagsOf: TagLookup = () => [];
  private remote: RemoteHosts | null = null;
  private readonly demand = new WatchDemand();

  constructor(
    private readonly db: Db,
    private readonly bus: EventBus,
  ) {
    // Agents are pinged often (not every 25 s like browsers) so that a host that vanished
    // without closing its TCP connection is shown offline within ~10 s.
    const alive = new WeakMap<WebSocket, boolean>();
    this.heartbeat = setInterval(() => {
      for (const c of this.conns.values()) {
        const ws = (c as unknown as { ws: WebSocket }).ws;
        if (alive.get(ws) === false) {
          ws.terminate();
          continue;
        }
        alive.set(ws, false);
        ws.once("pong", () => alive.set(ws, true));
        ws.ping();
      }
    }, HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  /** Where rows get their tags from (set once at start-up, after the access service loaded). */
  useTags(lookup: TagLookup): void {
    this.tagsOf = lookup;
  }

  /** Hosts held by peer servers: their mirrored inventory and calls (set once when clustered). */
  useRemote(remote: RemoteHosts): void {
    this.remote = remote;
  }

  /** Re-sends a row whose tags changed (the agent did not change it, Hangar did). */
  republish(type: "vm" | "container", hostId: string, id: string): void {
    if (type === "vm") {
      const m = this.machine(hostId, id);
      if (m) this.bus.publish({ type: "machine.upsert", machine: m });
    } else this.publishContainer(hostId, id);
  }

  /** Subscribes to what the hub learns from agents; returns the unsubscribe. */
  on<K extends keyof HubEvents>(event: K, fn: (...args: HubEvents[K]) => void): () => void {
    return this.events.on(event, fn);
  }

  attach(hostId: string, hostName: string, ws: WebSocket): void {
    this.names.set(hostId, hostName);
    const previous = this.conns.get(hostId);
    // A second connection for the same host replaces the first (agent restarted before the
    // old socket timed out).
    if (previous) previous.close(4409, "replaced by a newer connection");
    const conn: AgentConnection = new AgentConnection(hostId, ws, {
      hello: (facts, version) => {
        void this.onHello(hostId, facts, version);
        // Peers streaming this host's samples are told nothing of a reconnect: re-send their demand.
        if (this.demand.hasPeers(hostId)) void this.sendWatch(hostId).catch(() => undefined);
        this.events.emit("online", hostId);
      },
      event: (e) => this.onEvent(hostId, e),
      close: (reason) => {
        if (this.conns.get(hostId) === conn) void this.onClose(hostId, reason);
      },
    });
    this.conns.set(hostId, conn);
  }

  /** Its agent is connected here or to a live peer server. */
  isOnline(hostId: string): boolean {
    return this.isLocal(hostId) || (this.remote?.inventory(hostId)?.online ?? false);
  }

  /** Its agent is connected to this server. */
  isLocal(hostId: string): boolean {
    return this.conns.get(hostId)?.isOpen ?? false;
  }

  /** Calls the host's agent, here or through the peer server that holds it (one hop). */
  async call<M extends MethodName>(
    hostId: string,
    method: M,
    params: MethodParams<M>,
    timeoutMs?: number,
    opts?: CallOptions,
  ): Promise<MethodResult<M>> {
    if (!this.isLocal(hostId) && this.remote) {
      if (method === "metrics.watch") return this.remote.watch(hostId, (params as MethodParams<"metrics.watch">).targets) as MethodResult<M>;
      return this.remote.call(hostId, method, params, timeoutMs, opts);
    }
    return this.callLocal(hostId, method, params, timeoutMs, opts);
  }

  /** Calls an agent connected to this server, never forwarding (what /internal/agent-call runs). */
  async callLocal<M extends MethodName>(
    hostId: string,
    method: M,
    params: MethodParams<M>,
    timeoutMs?: number,
    opts?: CallOptions,
  ): Promise<MethodResult<M>> {
    if (method === "metrics.watch")
      return this.watchFor(LOCAL, hostId, (params as MethodParams<"metrics.watch">).targets) as Promise<MethodResult<M>>;
    const c = this.conns.get(hostId);
    if (!c?.isOpen) throw this.offline(hostId);
    return c.call(method, params, timeoutMs, opts);
  }

  /** One source's metric demand for a host here; the agent streams the union of all sources. */
  watchFor(source: string, hostId: string, targets: readonly string[]): Promise<MethodResult<"metrics.watch">> {
    this.demand.set(hostId, source, targets);
    return this.sendWatch(hostId);
  }

  private sendWatch(hostId: string): Promise<MethodResult<"metrics.watch">> {
    const c = this.conns.get(hostId);
    if (!c?.isOpen) return Promise.reject(this.offline(hostId));
    return c.call("metrics.watch", { targets: this.demand.union(hostId) }, 10_000);
  }

  /** The hosts whose agents are connected here, for a peer's mirror. */
  snapshot(hostIds?: readonly string[]): HostSnapshot[] {
    const out: HostSnapshot[] = [];
    for (const hostId of hostIds ?? [...this.conns.keys()]) {
      const inv = this.inventories.get(hostId);
      if (!this.isLocal(hostId) || !inv) continue;
      out.push({
        hostId,
        name: this.hostName(hostId),
        observedAt: inv.observedAt,
        libvirtConnected: inv.libvirtConnected,
        synced: inv.synced,
        engine: inv.engine,
        domains: [...inv.domains.values()],
        containers: [...inv.containers.values()],
      });
    }
    return out;
  }

  private offline(hostId: string): AgentCallError {
    return new AgentCallError("offline", `host ${this.hostName(hostId)} is offline (its agent is not connected)`);
  }

  private hostName(hostId: string): string {
    return this.names.get(hostId) ?? this.remote?.inventory(hostId)?.name ?? hostId;
  }

  /**
   * The inventory listings read: this server's own while the agent is here (or when no
   * peer knows the host), else the mirror of the peer that holds it.
   */
  private view(hostId: string): HostInventory | undefined {
    const local = this.inventories.get(hostId);
    if (!this.remote || this.isLocal(hostId)) return local;
    const mirrored = this.remote.inventory(hostId);
    return mirrored && (mirrored.online || !local) ? mirrored : local;
  }

  private hostIds(): Set<string> {
    return new Set([...this.inventories.keys(), ...(this.remote?.hostIds() ?? [])]);
  }

  disconnect(hostId: string, reason: string): void {
    this.conns.get(hostId)?.close(4403, reason);
  }

  forget(hostId: string): void {
    this.disconnect(hostId, "host removed");
    this.inventories.delete(hostId);
    this.names.delete(hostId);
  }

  domain(hostId: string, uuid: string): DomainSummary | undefined {
    return this.view(hostId)?.domains.get(uuid);
  }

  libvirtConnected(hostId: string): boolean | null {
    return this.view(hostId)?.libvirtConnected ?? null;
  }

  /** The host's domains as last reported (empty before its first inventory). */
  domains(hostId: string): ReadonlyMap<string, DomainSummary> {
    return this.view(hostId)?.domains ?? new Map();
  }

  /** The host's containers as last reported, by id. */
  containerMap(hostId: string): ReadonlyMap<string, ContainerSummary> {
    return this.view(hostId)?.containers ?? new Map();
  }

  machineCount(hostId: string): number {
    return this.view(hostId)?.domains.size ?? 0;
  }

  /** What every row of a host carries: whose it is, and whether it is the last known state. */
  private rowMeta(hostId: string, inv: HostInventory): { hostId: string; hostName: string; stale: boolean; observedAt: string } {
    return { hostId, hostName: this.hostName(hostId), stale: !this.isOnline(hostId), observedAt: new Date(inv.observedAt).toISOString() };
  }

  /** Every item of every host, as last reported; rows of offline hosts are stale. */
  private rows<T extends object>(items: (inv: HostInventory) => Iterable<T>, tags: (hostId: string, x: T) => readonly string[]) {
    const rows: (T & ReturnType<AgentHub["rowMeta"]> & { tags: string[] })[] = [];
    for (const hostId of this.hostIds()) {
      const inv = this.view(hostId);
      if (!inv) continue;
      const meta = this.rowMeta(hostId, inv);
      for (const x of items(inv)) rows.push({ ...x, ...meta, tags: [...tags(hostId, x)] });
    }
    return rows;
  }

  machines(): MachineRow[] {
    return this.rows(
      (inv) => inv.domains.values(),
      (hostId, d) => this.tagsOf("vm", hostId, d.uuid),
    );
  }

  machine(hostId: string, uuid: string): MachineRow | null {
    const inv = this.view(hostId);
    const d = inv?.domains.get(uuid);
    return inv && d ? { ...d, ...this.rowMeta(hostId, inv), tags: [...this.tagsOf("vm", hostId, uuid)] } : null;
  }

  engine(hostId: string): EngineInfo | null {
    return this.view(hostId)?.engine ?? null;
  }

  containerCount(hostId: string): number {
    return this.view(hostId)?.containers.size ?? 0;
  }

  containers(): ContainerRow[] {
    return this.rows(
      (inv) => inv.containers.values(),
      (hostId, c) => this.tagsOf("container", hostId, c.id),
    );
  }

  container(hostId: string, id: string): ContainerRow | null {
    const inv = this.view(hostId);
    const c = inv?.containers.get(id) ?? [...(inv?.containers.values() ?? [])].find((x) => x.id.startsWith(id) || x.name === id);
    return inv && c ? { ...c, ...this.rowMeta(hostId, inv), tags: [...this.tagsOf("container", hostId, c.id)] } : null;
  }

  close(): void {
    clearInterval(this.heartbeat);
    for (const c of this.conns.values()) c.close(1001, "server shutting down");
  }

  private inventory(hostId: string): HostInventory {
    let inv = this.inventories.get(hostId);
    if (!inv) {
      inv = { domains: new Map(), observedAt: Date.now(), libvirtConnected: null, synced: false, containers: new Map(), engine: null };
      this.inventories.set(hostId, inv);
    }
    return inv;
  }

  private async onHello(hostId: string, facts: HostFacts, agentVersion: string): Promise<void> {
    await this.db.host
      .update({ where: { id: hostId }, data: { factsJson: JSON.stringify(facts), agentVersion, lastSeenAt: new Date() } })
      .catch(() => undefined);
    this.bus.publish({ type: "host.changed", hostId });
  }

  private onEvent(hostId: string, e: AgentEvent): void {
    if (e.kind === "metrics.samples") {
      this.events.emit("metrics", hostId, e.coarse, e.samples);
      return;
    }
    const inv = this.inventory(hostId);
    inv.observedAt = Date.now();
    const publish = (d: DomainSummary) => {
      const m = this.machine(hostId, d.uuid);
      if (m) this.bus.publish({ type: "machine.upsert", machine: m });
    };
    switch (e.kind) {
      case "domain.inventory": {
        const next = new Map(e.domains.map((d) => [d.uuid, d]));
        for (const [uuid] of inv.domains) if (!next.has(uuid)) this.bus.publish({ type: "machine.remove", hostId, uuid });
        inv.domains = next;
        inv.synced = true;
        for (const d of next.values()) publish(d);
        this.bus.publish({ type: "machines.host", hostId, stale: false, observedAt: new Date(inv.observedAt).toISOString() });
        this.events.emit("domains", hostId, next);
        return;
      }
      case "domain.changed":
        inv.domains.set(e.domain.uuid, e.domain);
        publish(e.domain);
        return;
      case "domain.removed":
        inv.domains.delete(e.uuid);
        this.bus.publish({ type: "machine.remove", hostId, uuid: e.uuid });
        return;
      case "container.inventory": {
        const next = new Map(e.containers.map((c) => [c.id, c]));
        for (const [id] of inv.containers) if (!next.has(id)) this.bus.publish({ type: "container.remove", hostId, id });
        inv.containers = next;
        inv.engine = e.engine;
        for (const c of next.values()) this.publishContainer(hostId, c.id);
        this.bus.publish({ type: "host.changed", hostId });
        this.events.emit("containers", hostId, next);
        return;
      }
      case "container.changed":
        this.noteContainer(hostId, e.container);
        return;
      case "container.removed":
        if (inv.containers.delete(e.id)) this.bus.publish({ type: "container.remove", hostId, id: e.id });
        return;
      case "engine.status":
        inv.engine = e.connected ? e.engine : null;
        this.bus.publish({ type: "host.changed", hostId });
        return;
      case "pool.changed":
        this.bus.publish({ type: "pools.changed", hostId, pool: e.pool, cause: e.cause });
        return;
      case "network.changed":
        this.bus.publish({ type: "networks.changed", hostId, network: e.network, cause: e.cause });
        return;
      case "libvirt.status":
        inv.libvirtConnected = e.connected;
        if (!e.connected) console.warn(`[hub] host ${this.names.get(hostId)}: libvirt disconnected: ${e.error ?? ""}`);
        this.bus.publish({ type: "host.changed", hostId });
        return;
    }
  }

  /** A domain the agent just made (vm.create): in the inventory before libvirt's own event arrives. */
  noteDomain(hostId: string, d: DomainSummary): void {
    this.noted(hostId).domains.set(d.uuid, d);
    const m = this.machine(hostId, d.uuid);
    if (m) this.bus.publish({ type: "machine.upsert", machine: m });
  }

  /**
   * A container the agent just reported (by event, or as the result of a create: the
   * engine's own event may come later, and the next request must already find it).
   */
  noteContainer(hostId: string, c: ContainerSummary): void {
    const inv = this.noted(hostId);
    inv.containers.set(c.id, c);
    this.publishContainer(hostId, c.id);
  }

  /** Where a result noted by a service goes: the mirror, for a host a peer holds (read next from there). */
  private noted(hostId: string): HostInventory {
    return (!this.isLocal(hostId) && this.remote?.inventory(hostId)) || this.inventory(hostId);
  }

  private publishContainer(hostId: string, id: string): void {
    const row = this.container(hostId, id);
    if (row) this.bus.publish({ type: "container.upsert", container: row });
  }

  private async onClose(hostId: string, reason: string): Promise<void> {
    this.conns.delete(hostId);
    const inv = this.inventories.get(hostId);
    console.log(`[hub] host ${this.names.get(hostId) ?? hostId} offline: ${reason}`);
    await this.db.host.update({ where: { id: hostId }, data: { lastSeenAt: new Date() } }).catch(() => undefined);
    if (inv) this.bus.publish({ type: "machines.host", hostId, stale: true, observedAt: new Date(inv.observedAt).toISOString() });
    this.bus.publish({ type: "host.changed", hostId });
    this.events.emit("offline", hostId);
  }
}
