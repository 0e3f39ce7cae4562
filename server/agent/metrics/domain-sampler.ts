// Turns libvirt's bulk domain statistics (one call for every domain) into VM_METRICS
// values. Counters become rates from the previous read of the same domain; CPU % is
// cpu.time's delta over wall time × vCPUs, so 100 % means every vCPU busy.

export type RawStats = Record<string, number | bigint | string | boolean>;

interface Prev {
  at: number;
  cpuNs: number;
  rdBytes: number;
  wrBytes: number;
  rdReqs: number;
  wrReqs: number;
  rx: number;
  tx: number;
}

const num = (v: RawStats[string] | undefined): number | null => (typeof v === "number" ? v : typeof v === "bigint" ? Number(v) : null);

function sum(stats: RawStats, group: "block" | "net", field: string): number {
  const count = num(stats[`${group}.count`]) ?? 0;
  let total = 0;
  for (let i = 0; i < count; i++) total += num(stats[`${group}.${i}.${field}`]) ?? 0;
  return total;
}

export class DomainSampler {
  private readonly prev = new Map<string, Prev>();

  /** Values aligned with VM_METRICS for one running domain. */
  sample(uuid: string, stats: RawStats, now: number): (number | null)[] {
    const cpuNs = num(stats["cpu.time"]);
    const vcpus = num(stats["vcpu.current"]) ?? num(stats["vcpu.maximum"]);
    const cur: Prev = {
      at: now,
      cpuNs: cpuNs ?? 0,
      rdBytes: sum(stats, "block", "rd.bytes"),
      wrBytes: sum(stats, "block", "wr.bytes"),
      rdReqs: sum(stats, "block", "rd.reqs"),
      wrReqs: sum(stats, "block", "wr.reqs"),
      rx: sum(stats, "net", "rx.bytes"),
      tx: sum(stats, "net", "tx.bytes"),
    };
    const p = this.prev.get(uuid);
    this.prev.set(uuid, cur);
    const secs = p ? (now - p.at) / 1000 : 0;
    // A counter that went backwards means the domain restarted: no rate for this interval.
    const rate = (a: number, b: number) => (p && secs > 0 && a >= b ? (a - b) / secs : null);
    let cpu: number | null = null;
    if (p && cpuNs !== null && vcpus && secs > 0 && cur.cpuNs >= p.cpuNs) cpu = Math.min(100, ((cur.cpuNs - p.cpuNs) / (secs * 1e9 * vcpus)) * 100);
    const kib = (k: string) => {
      const v = num(stats[k]);
      return v === null ? null : v * 1024;
    };
    // "used" needs the guest's balloon driver with statistics; without it libvirt reports
    // no available/unused and we say so (null) instead of pretending the VM is full.
    const available = kib("balloon.available");
    const unused = kib("balloon.unused");
    const used = available !== null && unused !== null ? Math.max(0, available - unused) : null;
    return [
      cpu,
      vcpus,
      kib("balloon.maximum"),
      kib("balloon.current"),
      used,
      rate(cur.rdBytes, p?.rdBytes ?? 0),
      rate(cur.wrBytes, p?.wrBytes ?? 0),
      rate(cur.rdReqs, p?.rdReqs ?? 0),
      rate(cur.wrReqs, p?.wrReqs ?? 0),
      rate(cur.rx, p?.rx ?? 0),
      rate(cur.tx, p?.tx ?? 0),
    ];
  }

  /** Forgets domains that are no longer running, so a restart starts fresh. */
  retain(uuids: Set<string>): void {
    for (const k of this.prev.keys()) if (!uuids.has(k)) this.prev.delete(k);
  }
}
