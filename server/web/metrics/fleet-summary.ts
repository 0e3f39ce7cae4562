// The dashboard's numbers: hosts up/down, machines by state, vCPUs and memory allocated
// to running machines against what online hosts have, and the busiest hosts and machines
// by their newest CPU sample.
import type { Host } from "../db/client";
import type { Services } from "../services";
import { hostRow } from "../agents/hosts";
import type { BusyRow as Busy, FleetSummary, MachineRow } from "../../protocol";
import type { SeriesRef } from "../../protocol/metrics";

/** Only what one caller may see (issue 14): the machines they read, the series they may rank. */
export interface SummaryView {
  machines: MachineRow[];
  series: (ref: SeriesRef) => boolean;
}

const STALE_MS = 30_000;

export function fleetSummary(svc: Pick<Services, "hub" | "metrics">, hosts: Host[], now = Date.now(), view?: SummaryView): FleetSummary {
  const rows = hosts.map((h) => hostRow(h, svc.hub));
  const names = new Map(rows.map((r) => [r.id, r.name]));
  const out: FleetSummary = {
    hosts: { online: 0, offline: 0, pending: 0 },
    machines: { running: 0, stopped: 0, other: 0 },
    cpu: { allocatedVcpus: 0, hostCores: 0 },
    memory: { allocatedBytes: 0, hostBytes: 0 },
    busiestHosts: [],
    busiestMachines: [],
    observedAt: now,
  };
  for (const r of rows) {
    out.hosts[r.status]++;
    if (r.status === "online" && r.facts) {
      out.cpu.hostCores += r.facts.cpuCount;
      out.memory.hostBytes += r.facts.memoryBytes;
    }
  }
  for (const m of view?.machines ?? svc.hub.machines()) {
    if (m.state === "running" || m.state === "paused" || m.state === "blocked") {
      out.machines.running++;
      out.cpu.allocatedVcpus += m.vcpus;
      out.memory.allocatedBytes += m.memoryKiB * 1024;
    } else if (m.state === "shutoff" || m.state === "crashed") out.machines.stopped++;
    else out.machines.other++;
  }
  for (const [series, s] of svc.metrics.latestAll()) {
    const cpu = s.v[0];
    if (cpu === null || cpu === undefined || now - s.t > STALE_MS) continue;
    const hostName = names.get(s.hostId);
    if (!hostName || (view && !view.series(s))) continue;
    if (s.kind === "host") out.busiestHosts.push({ series, name: hostName, hostName, cpu, t: s.t });
    else if (s.kind === "vm")
      out.busiestMachines.push({ series, name: svc.hub.domain(s.hostId, s.target.slice(3))?.name ?? s.target.slice(3), hostName, cpu, t: s.t });
  }
  const top = (list: Busy[]) => list.sort((a, b) => b.cpu - a.cpu).slice(0, 5);
  out.busiestHosts = top(out.busiestHosts);
  out.busiestMachines = top(out.busiestMachines);
  return out;
}
