// One agent, several VM engines (libvirt on the host, KubeVirt in a cluster): the
// dispatcher, metrics and the server link see one HypervisorDriver. Domain calls go to the
// engine that owns the uuid; everything libvirt-only (storage, networks, create, edit,
// statistics) stays libvirt's. Each engine sends its own full inventory after it
// (re)connects; the server replaces the host's whole machine list with an inventory, so
// here each engine's inventory is merged with the others' last one before it goes out.
import { EventEmitter } from "node:events";
import type { AgentEvent, DomainAction, DomainEngine, DomainSummary } from "../../protocol";
import type { DomainActionOptions, HypervisorDriver } from "./driver";
import type { KubevirtDriver } from "./kubevirt/kubevirt-driver";

export class EngineRouter implements HypervisorDriver {
  readonly name = "hypervisor";
  private readonly events = new EventEmitter();
  /** The last inventory each engine sent. */
  private readonly last = new Map<DomainEngine, DomainSummary[]>();

  constructor(
    private readonly libvirt: HypervisorDriver,
    readonly kubevirt: KubevirtDriver | null,
  ) {
    libvirt.onEvent((e) => this.forward("libvirt", e));
    kubevirt?.onEvent((e) => this.forward("kubevirt", e));
  }

  get storage() {
    return this.libvirt.storage;
  }
  get uploads() {
    return this.libvirt.uploads;
  }
  get networks() {
    return this.libvirt.networks;
  }
  get vmCreate() {
    return this.libvirt.vmCreate;
  }
  get vmEdit() {
    return this.libvirt.vmEdit;
  }
  /** Backups copy libvirt disks with qemu-img: libvirt's only (KubeVirt has its own snapshots). */
  get backups() {
    return this.libvirt.backups;
  }
  get imports() {
    return this.libvirt.imports;
  }
  /** Live migration between libvirt hosts (KubeVirt migrates inside its cluster, by itself). */
  get migrations() {
    return this.libvirt.migrations;
  }

  /** libvirt's connection: what the host page reports as "libvirt connected". */
  get connected(): boolean {
    return this.libvirt.connected;
  }

  async start(): Promise<void> {
    await Promise.all([this.libvirt.start(), this.kubevirt?.start()]);
  }

  async stop(): Promise<void> {
    await Promise.all([this.libvirt.stop(), this.kubevirt?.stop()]);
  }

  onEvent(listener: (e: AgentEvent) => void): void {
    this.events.on("event", listener);
  }

  async resync(send: (e: AgentEvent) => void): Promise<void> {
    // Each engine's resync sends its status and inventory; inventories are merged on the way.
    const merged: DomainSummary[] = [];
    let any = false;
    const collect = (engine: DomainEngine) => (e: AgentEvent) => {
      if (e.kind === "domain.inventory") {
        this.last.set(engine, e.domains);
        merged.push(...e.domains);
        any = true;
      } else send(e);
    };
    await this.libvirt.resync(collect("libvirt"));
    if (this.kubevirt) await this.kubevirt.resync(collect("kubevirt"));
    // No engine connected: nothing is known, as before there were several engines.
    if (!any) return;
    // An engine that is down right now keeps its last rows.
    for (const [engine, rows] of this.last) if (!merged.some((d) => d.engine === engine)) merged.push(...rows);
    send({ kind: "domain.inventory", domains: merged });
  }

  async listDomains(): Promise<DomainSummary[]> {
    const [l, k] = await Promise.all([
      this.libvirt.connected ? this.libvirt.listDomains() : [],
      this.kubevirt?.connected ? this.kubevirt.listDomains() : [],
    ]);
    return [...l, ...k];
  }

  getDomain(uuid: string): Promise<{ domain: DomainSummary; xml: string }> {
    return this.kubevirt?.owns(uuid) ? this.kubevirt.getDomain(uuid) : this.libvirt.getDomain(uuid);
  }

  domainAction(uuid: string, action: DomainAction, opts: DomainActionOptions): Promise<DomainSummary | null> {
    return this.kubevirt?.owns(uuid) ? this.kubevirt.domainAction(uuid, action) : this.libvirt.domainAction(uuid, action, opts);
  }

  versions(): Promise<{ libvirt: string | null; qemu: string | null }> {
    return this.libvirt.versions();
  }

  /** KubeVirt machines have no statistics here (they would come from the cluster's metrics). */
  domainStats(uuids: readonly string[] | null) {
    const own = uuids === null ? null : uuids.filter((u) => !this.kubevirt?.owns(u));
    if (own !== null && own.length === 0) return Promise.resolve([]);
    return this.libvirt.domainStats(own);
  }

  private forward(engine: DomainEngine, e: AgentEvent): void {
    if (e.kind !== "domain.inventory") {
      this.events.emit("event", e);
      return;
    }
    this.last.set(engine, e.domains);
    this.events.emit("event", { kind: "domain.inventory", domains: [...this.last.values()].flat() });
  }
}
