// Metric names (positional: a sample's values follow these lists), sampling intervals and
// history ranges. Plain values, no zod: browser code imports this file, and importing the
// schemas in metrics.ts would put zod into the page bundles (~31 KB compressed).
/**
 * Host metrics. cpu: % of all cores (100 = every core busy); bytes for memory and file
 * systems; bytes/s for disk and network totals (loopback and partitions excluded).
 */
export const HOST_METRICS = [
  "cpu",
  "load1",
  "mem.used",
  "mem.total",
  "swap.used",
  "swap.total",
  "disk.read",
  "disk.write",
  "net.rx",
  "net.tx",
  "fs.used",
  "fs.total",
] as const;
/**
 * Machine metrics. cpu: % of all the VM's vCPUs (100 = every vCPU busy); mem.actual: the
 * balloon's current size; mem.used: what the guest reports as used (null unless the guest
 * runs a balloon driver with stats); disk.* bytes/s and ops/s; net.* bytes/s.
 */
export const VM_METRICS = [
  "cpu",
  "vcpus",
  "mem.max",
  "mem.actual",
  "mem.used",
  "disk.read",
  "disk.write",
  "disk.rops",
  "disk.wops",
  "net.rx",
  "net.tx",
] as const;
/** Container metrics share the stream shape (the containers issue fills them). */
export const CONTAINER_METRICS = ["cpu", "cpus", "mem.used", "mem.limit", "disk.read", "disk.write", "net.rx", "net.tx"] as const;

export type MetricKind = "host" | "vm" | "ct";
export const METRIC_NAMES: Record<MetricKind, readonly string[]> = { host: HOST_METRICS, vm: VM_METRICS, ct: CONTAINER_METRICS };

/** Seconds between live samples, and between the coarse samples kept for history. */
export const FINE_INTERVAL_MS = 1000;
export const COARSE_INTERVAL_MS = 10_000;

/** The ranges a history chart offers. */
export const HISTORY_RANGES = { "5m": 5 * 60_000, "1h": 3_600_000, "24h": 86_400_000, "7d": 7 * 86_400_000 } as const;
export type HistoryRange = keyof typeof HISTORY_RANGES;
/** The longest span a history query may ask for (the 1-minute tier keeps 30 days). */
export const MAX_HISTORY_SPAN_MS = 31 * 86_400_000;
