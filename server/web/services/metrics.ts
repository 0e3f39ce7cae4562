// Metrics verbs: the fleet dashboard, one series' history, the service's own state and the
// Prometheus text. Sampling and storage are ../metrics/.
import type { Services } from "../services";
import { ApiError } from "../http/errors";
import { fleetSummary } from "../metrics/fleet-summary";
import { MetricsService } from "../metrics/metrics-service";
import { prometheusText, type ScrapeScope } from "../metrics/prometheus";
import { parseSeries } from "../../protocol/metrics";
import type { User } from "../db/client";
import { seriesAllowed, visibleHostIds, visibleMachines } from "./visibility";

/** The dashboard of what the caller may see: their hosts, machines and rankings (visibility.ts). */
export async function dashboard(svc: Services, user: User) {
  const hosts = await svc.db.host.findMany();
  if (svc.access.can(user, "host.read") && svc.access.can(user, "vm.read")) return fleetSummary(svc, hosts);
  const shown = visibleHostIds(
    svc,
    user,
    hosts.map((h) => h.id),
  );
  return fleetSummary(
    svc,
    hosts.filter((h) => shown.has(h.id)),
    Date.now(),
    { machines: visibleMachines(svc, user), series: (ref) => seriesAllowed(svc, user, ref) },
  );
}

/** History of one series on a regular grid (null = nothing observed: the host was offline). */
export async function seriesHistory(svc: Services, user: User, q: Parameters<typeof MetricsService.range>[0] & { series: string }) {
  let bounds: { from: number; to: number };
  try {
    bounds = MetricsService.range(q);
  } catch (err) {
    throw new ApiError("invalid", (err as Error).message, { range: (err as Error).message });
  }
  const ref = parseSeries(q.series);
  if (!ref) throw new ApiError("invalid", "not a series id", { series: "not a series id" });
  if (!seriesAllowed(svc, user, ref)) throw new ApiError("forbidden", `You may not read ${q.series}`, { series: "not yours to read" });
  const host = await svc.db.host.findUnique({ where: { id: ref.hostId }, select: { id: true } });
  if (!host) throw new ApiError("not_found", `No host ${ref.hostId}`, { series: "unknown host" });
  return svc.metrics.query(q.series, bounds.from, bounds.to);
}

/** The metrics service's own state (subscribers, watched series, buffers) and the server's memory. */
export function metricsStatus(svc: Services) {
  return { ...svc.metrics.status(), rssBytes: process.memoryUsage.rss() };
}

/** Every host's latest samples in Prometheus' text format, named by host name; `may`: only what the credential may read. */
export async function prometheusScrape(svc: Services, may?: ScrapeScope): Promise<string> {
  const hosts = await svc.db.host.findMany({ select: { id: true, name: true } });
  return prometheusText(svc, new Map(hosts.map((h) => [h.id, h.name])), Date.now(), may);
}
