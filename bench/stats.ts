import fs from "node:fs";

export function pct(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}

export function summary(label: string, values: number[], unit = "ms"): string {
  return `${label}: p50 ${pct(values, 50).toFixed(2)} ${unit}, p95 ${pct(values, 95).toFixed(2)} ${unit} (n=${values.length})`;
}

export function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : NaN;
}
