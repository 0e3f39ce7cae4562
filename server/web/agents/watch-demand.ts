// Which metric targets are wanted of each host, by whom: this server's own subscribers
// ("local") and, for a host whose agent is here, each peer server streaming its samples
// (decision 0005). The agent is told the union, so one server's watch never replaces
// another's.
export class WatchDemand {
  private readonly byHost = new Map<string, Map<string, readonly string[]>>();

  /** Sets one source's targets for a host (empty removes it); returns the union to send. */
  set(hostId: string, source: string, targets: readonly string[]): string[] {
    let m = this.byHost.get(hostId);
    if (!m) this.byHost.set(hostId, (m = new Map()));
    if (targets.length) m.set(source, targets);
    else m.delete(source);
    if (!m.size) this.byHost.delete(hostId);
    return this.union(hostId);
  }

  union(hostId: string): string[] {
    const out = new Set<string>();
    for (const t of this.byHost.get(hostId)?.values() ?? []) for (const x of t) out.add(x);
    return [...out].sort();
  }

  /** True when some peer (not this server) wants samples of the host. */
  hasPeers(hostId: string): boolean {
    for (const source of this.byHost.get(hostId)?.keys() ?? []) if (source !== LOCAL) return true;
    return false;
  }
}

export const LOCAL = "local";
