// KubeVirt engine: VirtualMachines (and their VirtualMachineInstances) of one cluster as
// machines of this agent. Lists once, then follows both watches; every VM or VMI change
// becomes a domain.changed with the VM's fresh summary, as libvirt's lifecycle events do.
// A watch that ends (API servers close them every few minutes) lists again and resumes:
// the full inventory after it lets the server drop what vanished meanwhile.
import type { Duplex } from "node:stream";
import type WebSocket from "ws";
import type { AgentEvent, DomainAction, DomainSummary } from "../../../protocol";
import { DriverError, type AgentDriver } from "../driver";
import { ReconnectingDriver } from "../reconnecting-driver";
import { KUBEVIRT, KubeApi, SUBRESOURCES } from "./kube-api";
import { kubeName, toDomainSummary, type KubeVirtualMachine, type KubeVirtualMachineInstance } from "./mapping";

export interface KubevirtDriverOptions {
  kubeconfig: string;
  /** Namespaces to manage; empty: all the credentials can list. */
  namespaces: string[];
  log?: (m: string) => void;
}

interface KubeList<T> {
  metadata?: { resourceVersion?: string };
  items: T[];
}

/** The subresource call for each action; null: KubeVirt has no such thing. */
const ACTIONS: Record<DomainAction, { on: "virtualmachines" | "virtualmachineinstances"; verb: string; body: object } | null> = {
  start: { on: "virtualmachines", verb: "start", body: {} },
  shutdown: { on: "virtualmachines", verb: "stop", body: {} },
  // A stop without grace period is KubeVirt's force stop (virtctl stop --force --grace-period 0).
  destroy: { on: "virtualmachines", verb: "stop", body: { gracePeriod: 0 } },
  reboot: { on: "virtualmachines", verb: "restart", body: {} },
  reset: { on: "virtualmachines", verb: "restart", body: { gracePeriod: 0 } },
  suspend: { on: "virtualmachineinstances", verb: "pause", body: {} },
  resume: { on: "virtualmachineinstances", verb: "unpause", body: {} },
  // Deleting a VM object or changing its runStrategy is cluster configuration (GitOps,
  // kubectl): not done from here.
  undefine: null,
  autostart: null,
};

export class KubevirtDriver extends ReconnectingDriver implements AgentDriver {
  private readonly api: KubeApi;
  private readonly vms = new Map<string, KubeVirtualMachine>();
  /** VMIs by "namespace/name" (a VMI is named after its VM). */
  private readonly vmis = new Map<string, KubeVirtualMachineInstance>();
  private watches: { abort(): void }[] = [];
  private listed = false;
  /** Bumped on every (re)connect, so a stale watch's end does not tear down a newer one. */
  private round = 0;

  constructor(private readonly o: KubevirtDriverOptions) {
    super("kubevirt", { firstMs: 500, maxMs: 10_000 }, o.log);
    this.api = new KubeApi(o.kubeconfig);
  }

  get connected(): boolean {
    return this.listed;
  }

  /** Whether this engine runs the machine (routing by uuid in the agent). */
  owns(uuid: string): boolean {
    return this.vms.has(uuid);
  }

  async resync(send: (e: AgentEvent) => void): Promise<void> {
    if (this.listed) send({ kind: "domain.inventory", domains: await this.listDomains() });
  }

  async listDomains(): Promise<DomainSummary[]> {
    return [...this.vms.values()].map((vm) => this.summary(vm));
  }

  async getDomain(uuid: string): Promise<{ domain: DomainSummary; xml: string }> {
    const vm = this.need(uuid);
    // No domain XML in KubeVirt: the VM object itself is its definition.
    return { domain: this.summary(vm), xml: JSON.stringify(vm, null, 2) };
  }

  async domainAction(uuid: string, action: DomainAction): Promise<DomainSummary | null> {
    const vm = this.need(uuid);
    const a = ACTIONS[action];
    if (!a) throw new DriverError("invalid_state", `${action} is not available for KubeVirt machines (${kubeName(vm.metadata)})`);
    await this.api.request("PUT", `${SUBRESOURCES}/namespaces/${ns(vm)}/${a.on}/${encodeURIComponent(vm.metadata.name)}/${a.verb}`, a.body);
    // The new state arrives by the watch; the answer is the row as it is now.
    return this.summary(vm);
  }

  /** The VMI's VNC display: raw RFB bytes (from binary websocket frames). */
  async vnc(uuid: string): Promise<{ ws: WebSocket; stream: Duplex }> {
    const vm = this.need(uuid);
    if (!this.vmis.has(kubeName(vm.metadata)))
      throw new DriverError("invalid_state", `${kubeName(vm.metadata)} is not running: no VNC display (start it first)`);
    return this.api.vnc(ns(vm), vm.metadata.name);
  }

  protected async connect(): Promise<void> {
    this.stopWatches();
    const round = ++this.round;
    try {
      const scopes = this.o.namespaces.length ? this.o.namespaces.map((n) => `/namespaces/${encodeURIComponent(n)}`) : [""];
      const lists = await Promise.all(
        scopes.map(async (s) => ({
          s,
          vms: await this.api.request<KubeList<KubeVirtualMachine>>("GET", `${KUBEVIRT}${s}/virtualmachines`),
          vmis: await this.api.request<KubeList<KubeVirtualMachineInstance>>("GET", `${KUBEVIRT}${s}/virtualmachineinstances`),
        })),
      );
      if (round !== this.round) return;
      this.vms.clear();
      this.vmis.clear();
      for (const l of lists) {
        for (const vm of l.vms.items) this.vms.set(vm.metadata.uid.toLowerCase(), vm);
        for (const vmi of l.vmis.items) this.vmis.set(kubeName(vmi.metadata), vmi);
      }
      this.listed = true;
      this.backoff.succeeded();
      this.emit({ kind: "domain.inventory", domains: await this.listDomains() });
      for (const l of lists) {
        await this.follow(round, `${KUBEVIRT}${l.s}/virtualmachines`, l.vms.metadata?.resourceVersion, (t, o) =>
          this.onVm(t, o as KubeVirtualMachine),
        );
        await this.follow(round, `${KUBEVIRT}${l.s}/virtualmachineinstances`, l.vmis.metadata?.resourceVersion, (t, o) =>
          this.onVmi(t, o as KubeVirtualMachineInstance),
        );
      }
    } catch (err) {
      if (round !== this.round) return;
      this.listed = false;
      this.stopWatches();
      this.log(`cannot list KubeVirt machines: ${(err as Error).message}`);
      this.backoff.schedule();
    }
  }

  protected async disconnect(): Promise<void> {
    this.round++;
    this.stopWatches();
    this.listed = false;
  }

  private async follow(round: number, path: string, rv: string | undefined, on: (type: string, obj: unknown) => void): Promise<void> {
    const w = await this.api.watch(
      path,
      rv,
      (type, obj) => {
        if (round === this.round) on(type, obj);
      },
      (err) => {
        if (round !== this.round || this.backoff.stopped) return;
        // Expected every few minutes (the API server's watch timeout): list again and go on.
        if (err) this.log(`watch ${path} ended: ${(err as Error).message ?? String(err)}`);
        this.round++;
        this.stopWatches();
        this.backoff.schedule();
      },
    );
    this.watches.push(w);
  }

  private onVm(type: string, vm: KubeVirtualMachine): void {
    if (!vm?.metadata?.uid) return; // BOOKMARK / ERROR objects
    const uuid = vm.metadata.uid.toLowerCase();
    if (type === "DELETED") {
      this.vms.delete(uuid);
      this.emit({ kind: "domain.removed", uuid, name: kubeName(vm.metadata) });
      return;
    }
    if (type !== "ADDED" && type !== "MODIFIED") return;
    this.vms.set(uuid, vm);
    this.emit({ kind: "domain.changed", cause: `vm-${type.toLowerCase()}`, domain: this.summary(vm) });
  }

  private onVmi(type: string, vmi: KubeVirtualMachineInstance): void {
    if (!vmi?.metadata?.name) return;
    const key = kubeName(vmi.metadata);
    if (type === "DELETED") this.vmis.delete(key);
    else if (type === "ADDED" || type === "MODIFIED") this.vmis.set(key, vmi);
    else return;
    const vm = [...this.vms.values()].find((v) => kubeName(v.metadata) === key);
    if (vm) this.emit({ kind: "domain.changed", cause: `vmi-${type.toLowerCase()}`, domain: this.summary(vm) });
  }

  private summary(vm: KubeVirtualMachine): DomainSummary {
    return toDomainSummary(vm, this.vmis.get(kubeName(vm.metadata)) ?? null);
  }

  private need(uuid: string): KubeVirtualMachine {
    const vm = this.vms.get(uuid);
    if (!vm) throw new DriverError("not_found", `no KubeVirt machine with uid ${uuid}`);
    return vm;
  }

  private stopWatches(): void {
    for (const w of this.watches) w.abort();
    this.watches = [];
  }
}

function ns(vm: KubeVirtualMachine): string {
  return encodeURIComponent(vm.metadata.namespace ?? "default");
}
