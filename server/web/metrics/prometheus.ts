// GET /metrics in Prometheus' text exposition format (0.0.4): the newest value of every
// host and machine series, plus up/running gauges. Values older than a minute are left
// out, so Prometheus marks them stale instead of repeating a frozen number.
import { timingSafeEqual } from "node:crypto";
import { HOST_METRICS, VM_METRICS, parseSeries } from "../../protocol";
import type { Resource } from "../../protocol/access";
import type { Permission } from "../../protocol/roles";
import type { Services } from "../services";
import { seriesAccess } from "./series-access";

/** What the scraping credential may read (an API token: its owner's rights cut to the token's). */
export type ScrapeScope = (permission: Permission, resource: Resource) => boolean;
const EVERYTHING: ScrapeScope = () => true;

const MAX_AGE_MS = 60_000;

type Help = [name: string, help: string];
const HOST: Record<(typeof HOST_METRICS)[number], Help> = {
  cpu: ["hangar_host_cpu_percent", "Host CPU busy, % of all cores."],
  load1: ["hangar_host_load1", "Host 1-minute load average."],
  "mem.used": ["hangar_host_memory_used_bytes", "Host memory in use (total minus available)."],
  "mem.total": ["hangar_host_memory_total_bytes", "Host memory installed."],
  "swap.used": ["hangar_host_swap_used_bytes", "Host swap in use."],
  "swap.total": ["hangar_host_swap_total_bytes", "Host swap size."],
  "disk.read": ["hangar_host_disk_read_bytes_per_second", "Host disk reads, whole disks."],
  "disk.write": ["hangar_host_disk_write_bytes_per_second", "Host disk writes, whole disks."],
  "net.rx": ["hangar_host_network_receive_bytes_per_second", "Host network receive, all interfaces but loopback."],
  "net.tx": ["hangar_host_network_transmit_bytes_per_second", "Host network transmit, all interfaces but loopback."],
  "fs.used": ["hangar_host_filesystem_used_bytes", "Host file systems, used."],
  "fs.total": ["hangar_host_filesystem_size_bytes", "Host file systems, size."],
};
const VM: Record<(typeof VM_METRICS)[number], Help> = {
  cpu: ["hangar_vm_cpu_percent", "Machine CPU busy, % of all its vCPUs."],
  vcpus: ["hangar_vm_vcpus", "Machine vCPUs."],
  "mem.max": ["hangar_vm_memory_max_bytes", "Machine maximum memory."],
  "mem.actual": ["hangar_vm_memory_actual_bytes", "Machine memory (balloon size)."],
  "mem.used": ["hangar_vm_memory_used_bytes", "Machine memory used as reported by the guest's balloon driver."],
  "disk.read": ["hangar_vm_disk_read_bytes_per_second", "Machine disk reads."],
  "disk.write": ["hangar_vm_disk_write_bytes_per_second", "Machine disk writes."],
  "disk.rops": ["hangar_vm_disk_read_ops_per_second", "Machine disk read requests."],
  "disk.wops": ["hangar_vm_disk_write_ops_per_second", "Machine disk write requests."],
  "net.rx": ["hangar_vm_network_receive_bytes_per_second", "Machine network receive."],
  "net.tx": ["hangar_vm_network_transmit_bytes_per_second", "Machine network transmit."],
};

export function checkMetricsToken(expected: string | null, header: string | null): "ok" | "disabled" | "denied" {
  if (!expected) return "disabled";
  const m = /^Bearer (.+)$/.exec(header ?? "");
  if (!m) return "denied";
  const a = Buffer.from(m[1]!);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b) ? "ok" : "denied";
}

const esc = (v: string) => v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
const labels = (l: Record<string, string>) =>
  `{${Object.entries(l)
    .map(([k, v]) => `${k}="${esc(v)}"`)
    .join(",")}}`;

export function prometheusText(
  svc: Pick<Services, "hub" | "metrics">,
  hostNames: Map<string, string>,
  now = Date.now(),
  may: ScrapeScope = EVERYTHING,
): string {
  const families = new Map<string, { help: string; lines: string[] }>();
  const add = (name: string, help: string, l: Record<string, string>, value: number) => {
    let f = families.get(name);
    if (!f) families.set(name, (f = { help, lines: [] }));
    f.lines.push(`${name}${labels(l)} ${Number.isInteger(value) ? value : value.toFixed(4)}`);
  };
  for (const [id, name] of hostNames)
    if (may("host.read", { type: "host", id }))
      add("hangar_host_up", "1 when the host's agent is connected.", { host: name, host_id: id }, svc.hub.isOnline(id) ? 1 : 0);
  for (const m of svc.hub.machines()) {
    if (!may("vm.read", { type: "vm", id: m.uuid, hostId: m.hostId })) continue;
    add("hangar_vm_running", "1 when the machine runs.", { host: m.hostName, vm: m.name, uuid: m.uuid }, m.state === "running" ? 1 : 0);
  }
  for (const [series, s] of svc.metrics.latestAll()) {
    if (now - s.t > MAX_AGE_MS) continue;
    const ref = parseSeries(series);
    const needs = seriesAccess(series);
    if (!ref || !needs || !may(needs.permission, needs.resource)) continue;
    const host = hostNames.get(ref.hostId);
    if (!host) continue;
    const table = ref.kind === "host" ? HOST : ref.kind === "vm" ? VM : null;
    if (!table) continue;
    const names = ref.kind === "host" ? HOST_METRICS : VM_METRICS;
    const l: Record<string, string> = { host };
    if (ref.kind === "vm") {
      const uuid = ref.target.slice(3);
      l.vm = svc.hub.domain(ref.hostId, uuid)?.name ?? uuid;
      l.uuid = uuid;
    }
    names.forEach((n, i) => {
      const v = s.v[i];
      if (v === null || v === undefined) return;
      const [metric, help] = (table as Record<string, Help>)[n]!;
      add(metric, help, l, v);
    });
  }
  let out = "";
  for (const [name, f] of families) out += `# HELP ${name} ${f.help}\n# TYPE ${name} gauge\n${f.lines.join("\n")}\n`;
  return out;
}
