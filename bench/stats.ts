import fs from "node:fs";

export function pct(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}

export function summary(label: string, values: number[], unit = "ms"): string {
  return `${label}: p50 ${pct(values, 50).toFixed(2)} ${unit}, p95 ${pct(values, 95).toFixed(2)} ${unit} (n=${values.length})`;
}

/** One kB field of /proc/<pid>/status, in MiB. */
function statusMiB(pid: number, field: "VmRSS" | "RssAnon"): number {
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : NaN;
}

export function rssMiB(pid: number): number {
  return statusMiB(pid, "VmRSS");
}

/**
 * A process's private memory (RssAnon): what it alone costs. VmRSS also counts the node
 * binary's file pages (~42 MiB here), which every Node process on the machine shares.
 */
export function privateMiB(pid: number): number {
  return statusMiB(pid, "RssAnon");
}

/** CPU seconds (user + system) a process has used so far, from /proc. */
export function cpuSeconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // Fields 14 and 15 (utime, stime) in clock ticks; 100 per second on Linux.
  return (Number(f[11]) + Number(f[12])) / 100;
}

/** % of one core a process used over `ms`. */
export async function cpuPercent(pid: number, ms: number): Promise<number> {
  const a = cpuSeconds(pid);
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, ms));
  return ((cpuSeconds(pid) - a) / ((performance.now() - t0) / 1000)) * 100;
}
