// Metrics: what the agent samples, how samples travel (agent → server → browser) and how a
// browser names the series it wants. Values are positional (aligned with the metric-name
// lists below) so a 1,000-domain tick stays small; null means "not reported", never 0.
import { z } from "zod";

/**
 * Host metrics. cpu: % of all cores (100 = every core busy); bytes for memory and file
 * systems; bytes/s for disk and network totals (loopback and partitions excluded).
 */
export const HOST_METRICS = ["cpu", "load1", "mem.used", "mem.total", "swap.used", "swap.total", "disk.read", "disk.write", "net.rx", "net.tx", "fs.used", "fs.total"] as const;
/**
 * Machine metrics. cpu: % of all the VM's vCPUs (100 = every vCPU busy); mem.actual: the
 * balloon's current size; mem.used: what the guest reports as used (null unless the guest
 * runs a balloon driver with stats); disk.* bytes/s and ops/s; net.* bytes/s.
 */
export const VM_METRICS = ["cpu", "vcpus", "mem.max", "mem.actual", "mem.used", "disk.read", "disk.write", "disk.rops", "disk.wops", "net.rx", "net.tx"] as const;
/** Container metrics share the stream shape (the containers issue fills them). */
export const CONTAINER_METRICS = ["cpu", "cpus", "mem.used", "mem.limit", "disk.read", "disk.write", "net.rx", "net.tx"] as const;

export type MetricKind = "host" | "vm" | "ct";
export const METRIC_NAMES: Record<MetricKind, readonly string[]> = { host: HOST_METRICS, vm: VM_METRICS, ct: CONTAINER_METRICS };

/** Seconds between live samples, and between the coarse samples kept for history. */
export const FINE_INTERVAL_MS = 1000;
export const COARSE_INTERVAL_MS = 10_000;

/** What an agent samples, named from the agent's side: its host, a domain, a container. */
export const AgentTarget = z.string().regex(/^(host|vm:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|ct:[0-9a-f]{12,64})$/);

export const HostDetail = z.strictObject({
  /** % per core, in core order. */
  cores: z.array(z.number()).max(4096),
  mounts: z.array(z.strictObject({ mount: z.string().max(512), used: z.number(), total: z.number() })).max(256),
  ifaces: z.array(z.strictObject({ name: z.string().max(64), rx: z.number(), tx: z.number() })).max(256),
});
export type HostDetail = z.infer<typeof HostDetail>;

export const MetricSample = z.strictObject({
  target: AgentTarget,
  /** When the values were observed (agent clock, ms since the epoch). */
  t: z.number(),
  v: z.array(z.number().nullable()).max(32),
  detail: HostDetail.optional(),
});
export type MetricSample = z.infer<typeof MetricSample>;

/** Browser-side series ids: `host/<hostId>`, `vm/<hostId>/<uuid>`, `ct/<hostId>/<id>`. */
export const SERIES_RE = /^(host)\/([A-Za-z0-9_-]{1,64})$|^(vm)\/([A-Za-z0-9_-]{1,64})\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$|^(ct)\/([A-Za-z0-9_-]{1,64})\/([0-9a-f]{12,64})$/;

export interface SeriesRef {
  kind: MetricKind;
  hostId: string;
  /** The agent's name for it: "host", "vm:<uuid>" or "ct:<id>". */
  target: string;
}

export function parseSeries(series: string): SeriesRef | null {
  const m = SERIES_RE.exec(series);
  if (!m) return null;
  if (m[1]) return { kind: "host", hostId: m[2]!, target: "host" };
  if (m[3]) return { kind: "vm", hostId: m[4]!, target: `vm:${m[5]}` };
  return { kind: "ct", hostId: m[7]!, target: `ct:${m[8]}` };
}

export function seriesOf(hostId: string, target: string): string {
  if (target === "host") return `host/${hostId}`;
  const [kind, id] = target.split(":");
  return `${kind}/${hostId}/${id}`;
}

/** Browser → server on /ws/events. */
export const MAX_SUBSCRIPTIONS_PER_SOCKET = 256;
export const MetricsClientMessage = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("metrics.subscribe"), series: z.array(z.string().max(200)).min(1).max(MAX_SUBSCRIPTIONS_PER_SOCKET) }),
  z.strictObject({ type: z.literal("metrics.unsubscribe"), series: z.array(z.string().max(200)).max(MAX_SUBSCRIPTIONS_PER_SOCKET) }),
]);
export type MetricsClientMessage = z.infer<typeof MetricsClientMessage>;

/** One sample as a browser receives it. */
export interface SeriesSample {
  series: string;
  t: number;
  v: (number | null)[];
  detail?: HostDetail;
}

export const HISTORY_RANGES = { "5m": 5 * 60_000, "1h": 3_600_000, "24h": 86_400_000, "7d": 7 * 86_400_000 } as const;
export type HistoryRange = keyof typeof HISTORY_RANGES;
/** The longest span a history query may ask for (the 1-minute tier keeps 30 days). */
export const MAX_HISTORY_SPAN_MS = 31 * 86_400_000;

/** GET /api/metrics/history answer: a regular grid, null where nothing was observed. */
export interface MetricHistory {
  series: string;
  names: readonly string[];
  stepMs: number;
  t: number[];
  values: (number | null)[][];
}

/** GET /api/dashboard: fleet totals and the busiest hosts and machines by newest CPU sample. */
export interface BusyRow {
  series: string;
  name: string;
  hostName: string;
  cpu: number;
  t: number;
}

export interface FleetSummary {
  hosts: { online: number; offline: number; pending: number };
  machines: { running: number; stopped: number; other: number };
  cpu: { allocatedVcpus: number; hostCores: number };
  memory: { allocatedBytes: number; hostBytes: number };
  busiestHosts: BusyRow[];
  busiestMachines: BusyRow[];
  observedAt: number;
}
