// Metrics: what the agent samples, how samples travel (agent → server → browser) and how a
// browser names the series it wants. Values are positional (aligned with the metric-name
// lists of metric-names.ts) so a 1,000-domain tick stays small; null means "not reported", never 0.
import { z } from "zod";
import type { MetricKind } from "./metric-names";

// The names, intervals and ranges (no zod) live apart so that browser code can import
// them without pulling zod into its bundle.
export * from "./metric-names";

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
export const SERIES_RE =
  /^(host)\/([A-Za-z0-9_-]{1,64})$|^(vm)\/([A-Za-z0-9_-]{1,64})\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$|^(ct)\/([A-Za-z0-9_-]{1,64})\/([0-9a-f]{12,64})$/;

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
