// Host metrics from /proc and statfs. Counters (CPU jiffies, disk sectors, network bytes)
// become rates from the delta between two reads; the first read yields nulls for rates.
import fs from "node:fs";
import type { HostDetail } from "../../protocol";

interface Counters {
  at: number;
  cpus: number[][]; // per core: [busy, total] jiffies; index 0 is the "cpu" total line
  diskRead: number;
  diskWrite: number;
  ifaces: Map<string, { rx: number; tx: number }>;
}

// File systems worth showing; pseudo and in-memory ones are skipped.
const REAL_FS = new Set([
  "ext2",
  "ext3",
  "ext4",
  "xfs",
  "btrfs",
  "zfs",
  "vfat",
  "f2fs",
  "jfs",
  "reiserfs",
  "nfs",
  "nfs4",
  "cifs",
  "ntfs",
  "ntfs3",
  "exfat",
]);

export interface ProcReader {
  read(path: string): string;
}
const realProc: ProcReader = { read: (p) => fs.readFileSync(p, "utf8") };

/** Parses /proc/stat cpu lines into [busy, total] jiffies; iowait counts as idle. */
export function parseCpuLines(stat: string): number[][] {
  const out: number[][] = [];
  for (const line of stat.split("\n")) {
    if (!line.startsWith("cpu")) continue;
    const f = line.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal (guest time is already in user)
    const idle = (f[3] ?? 0) + (f[4] ?? 0);
    const total = f.slice(0, 8).reduce((a, b) => a + b, 0);
    out.push([total - idle, total]);
  }
  return out;
}

export function parseMeminfo(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split("\n")) {
    const m = /^(\w+):\s+(\d+)(?: kB)?/.exec(line);
    if (m) out[m[1]!] = Number(m[2]) * (line.endsWith("kB") ? 1024 : 1);
  }
  return out;
}

/** Sectors (512 B) read and written by whole disks; partitions, loop and ram devices are left out. */
export function parseDiskstats(text: string, isWholeDisk: (name: string) => boolean): { read: number; write: number } {
  let read = 0;
  let write = 0;
  for (const line of text.split("\n")) {
    const f = line.trim().split(/\s+/);
    const name = f[2];
    if (!name || /^(loop|ram|zram|sr|fd)/.test(name) || !isWholeDisk(name)) continue;
    read += Number(f[5] ?? 0) * 512;
    write += Number(f[9] ?? 0) * 512;
  }
  return { read, write };
}

export function parseNetDev(text: string): Map<string, { rx: number; tx: number }> {
  const out = new Map<string, { rx: number; tx: number }>();
  for (const line of text.split("\n").slice(2)) {
    const m = /^\s*([^:]+):\s*(.*)$/.exec(line);
    if (!m) continue;
    const name = m[1]!.trim();
    if (name === "lo") continue;
    const f = m[2]!.trim().split(/\s+/).map(Number);
    out.set(name, { rx: f[0] ?? 0, tx: f[8] ?? 0 });
  }
  return out;
}

function wholeDisk(name: string): boolean {
  // /sys/block lists whole disks only (partitions live below them).
  try {
    return fs.existsSync(`/sys/block/${name.replace(/\//g, "!")}`);
  } catch {
    return false;
  }
}

export class HostSampler {
  private prev: Counters | null = null;
  private mounts: string[] = [];
  private mountsReadAt = 0;

  constructor(private readonly proc: ProcReader = realProc) {}

  /** One sample: values aligned with HOST_METRICS, plus per-core, per-mount, per-interface detail. */
  sample(now = Date.now()): { v: (number | null)[]; detail: HostDetail } {
    const cpus = parseCpuLines(this.proc.read("/proc/stat"));
    const mem = parseMeminfo(this.proc.read("/proc/meminfo"));
    const load = Number(this.proc.read("/proc/loadavg").split(" ")[0]);
    let disk = { read: 0, write: 0 };
    try {
      disk = parseDiskstats(this.proc.read("/proc/diskstats"), wholeDisk);
    } catch {
      // Some containers hide /proc/diskstats; disk rates are then not reported.
    }
    const ifaces = parseNetDev(this.proc.read("/proc/net/dev"));
    const cur: Counters = { at: now, cpus, diskRead: disk.read, diskWrite: disk.write, ifaces };
    const prev = this.prev;
    this.prev = cur;
    const secs = prev ? (now - prev.at) / 1000 : 0;
    const rate = (a: number, b: number) => (prev && secs > 0 ? Math.max(0, (a - b) / secs) : null);
    const pct = (i: number) => {
      const p = prev?.cpus[i];
      const c = cpus[i];
      if (!p || !c || c[1]! - p[1]! <= 0) return null;
      return Math.min(100, Math.max(0, ((c[0]! - p[0]!) / (c[1]! - p[1]!)) * 100));
    };
    let rx = 0;
    let tx = 0;
    const ifaceRates: HostDetail["ifaces"] = [];
    for (const [name, c] of ifaces) {
      const p = prev?.ifaces.get(name);
      const r = p ? rate(c.rx, p.rx) : null;
      const t = p ? rate(c.tx, p.tx) : null;
      rx += r ?? 0;
      tx += t ?? 0;
      ifaceRates.push({ name, rx: r ?? 0, tx: t ?? 0 });
    }
    const mounts = this.mountUsage(now);
    const memTotal = mem.MemTotal ?? 0;
    const memAvail = mem.MemAvailable ?? mem.MemFree ?? 0;
    const swapTotal = mem.SwapTotal ?? 0;
    const v = [
      pct(0),
      Number.isFinite(load) ? load : null,
      memTotal - memAvail,
      memTotal,
      swapTotal - (mem.SwapFree ?? 0),
      swapTotal,
      prev ? rate(disk.read, prev.diskRead) : null,
      prev ? rate(disk.write, prev.diskWrite) : null,
      prev ? rx : null,
      prev ? tx : null,
      mounts.reduce((a, m) => a + m.used, 0),
      mounts.reduce((a, m) => a + m.total, 0),
    ];
    const cores: number[] = [];
    for (let i = 1; i < cpus.length; i++) cores.push(Math.round((pct(i) ?? 0) * 10) / 10);
    return { v, detail: { cores, mounts, ifaces: ifaceRates } };
  }

  private mountUsage(now: number): HostDetail["mounts"] {
    // The mount table changes rarely; re-read it every minute.
    if (now - this.mountsReadAt > 60_000) {
      this.mountsReadAt = now;
      const seen = new Set<string>();
      this.mounts = [];
      for (const line of this.proc.read("/proc/mounts").split("\n")) {
        const [dev, mount, type] = line.split(" ");
        if (!dev || !mount || !type || !REAL_FS.has(type) || seen.has(dev)) continue;
        seen.add(dev); // bind mounts of one device count once
        this.mounts.push(mount.replace(/\\040/g, " "));
      }
    }
    const out: HostDetail["mounts"] = [];
    for (const mount of this.mounts) {
      try {
        const s = fs.statfsSync(mount);
        out.push({ mount, total: s.blocks * s.bsize, used: (s.blocks - s.bfree) * s.bsize });
      } catch {
        // Unmounted since the table was read.
      }
    }
    return out;
  }
}
