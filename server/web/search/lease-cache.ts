// Guest addresses for the command palette's "find by IP": libvirt knows a VM's MAC, and
// dnsmasq's leases map MACs to addresses, one agent call per active network. Searching must
// not make those calls per keystroke, so each host's leases are kept for TTL_MS and
// refreshed in the background when a search finds them stale; a search waits at most
// `budgetMs` for a refresh and otherwise answers with what it has.
import type { AgentHub } from "../agents/hub";

const TTL_MS = 30_000;
const CALL_TIMEOUT_MS = 5_000;

interface Entry {
  at: number;
  /** lowercase MAC → addresses */
  byMac: Map<string, string[]>;
  refreshing: Promise<void> | null;
}

export class LeaseCache {
  private readonly hosts = new Map<string, Entry>();

  constructor(
    private readonly hub: Pick<AgentHub, "isOnline" | "call">,
    private readonly now: () => number = Date.now,
  ) {}

  /** MAC → addresses across `hostIds`, refreshed where stale (waiting up to `budgetMs`). */
  async addresses(hostIds: Iterable<string>, budgetMs: number): Promise<Map<string, string[]>> {
    const ids = [...new Set(hostIds)].filter((h) => this.hub.isOnline(h));
    const pending = ids.map((h) => this.refreshIfStale(h)).filter((p): p is Promise<void> => p !== null);
    if (pending.length) await Promise.race([Promise.allSettled(pending), new Promise((r) => setTimeout(r, budgetMs))]);
    const out = new Map<string, string[]>();
    for (const h of ids) for (const [mac, ips] of this.hosts.get(h)?.byMac ?? []) out.set(mac, [...(out.get(mac) ?? []), ...ips]);
    return out;
  }

  /** A host went away or its networks changed: its leases are read again next time. */
  forget(hostId: string): void {
    this.hosts.delete(hostId);
  }

  private refreshIfStale(hostId: string): Promise<void> | null {
    const e = this.hosts.get(hostId) ?? { at: 0, byMac: new Map<string, string[]>(), refreshing: null };
    this.hosts.set(hostId, e);
    if (e.refreshing) return e.refreshing;
    if (this.now() - e.at < TTL_MS) return null;
    e.refreshing = this.read(hostId)
      .then((byMac) => {
        e.byMac = byMac;
      })
      .catch(() => undefined) // an unreachable host keeps its last leases until the next try
      .finally(() => {
        e.at = this.now();
        e.refreshing = null;
      });
    return e.refreshing;
  }

  private async read(hostId: string): Promise<Map<string, string[]>> {
    const { networks } = await this.hub.call(hostId, "network.list", {}, CALL_TIMEOUT_MS);
    const byMac = new Map<string, string[]>();
    const answers = await Promise.allSettled(
      networks.filter((n) => n.active && n.dhcp).map((n) => this.hub.call(hostId, "network.leases", { name: n.name }, CALL_TIMEOUT_MS)),
    );
    for (const a of answers) {
      if (a.status !== "fulfilled") continue;
      for (const l of a.value.leases) {
        if (!l.mac) continue;
        const mac = l.mac.toLowerCase();
        byMac.set(mac, [...(byMac.get(mac) ?? []), l.ip]);
      }
    }
    return byMac;
  }
}
