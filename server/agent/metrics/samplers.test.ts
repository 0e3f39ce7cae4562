import { describe, expect, it } from "vitest";
import { HostSampler, parseCpuLines, parseDiskstats, parseMeminfo, parseNetDev } from "./host-sampler";
import { DomainSampler } from "./domain-sampler";
import { HOST_METRICS, VM_METRICS } from "../../protocol";

describe("host sampler", () => {
  it("parses /proc files", () => {
    expect(parseCpuLines("cpu  100 0 100 700 100 0 0 0 0 0\ncpu0 50 0 50 350 50 0 0 0 0 0\nintr 1")).toEqual([
      [200, 1000],
      [100, 500],
    ]);
    expect(parseMeminfo("MemTotal:  1000 kB\nMemAvailable: 400 kB\nHugePages_Total: 0")).toEqual({
      MemTotal: 1024000,
      MemAvailable: 409600,
      HugePages_Total: 0,
    });
    const disks = parseDiskstats(
      "   8  0 sda 10 0 100 0 5 0 20 0 0 0 0\n   8  1 sda1 10 0 100 0 5 0 20 0 0\n   7 0 loop0 1 0 999 0 1 0 999 0",
      (n) => n === "sda",
    );
    expect(disks).toEqual({ read: 100 * 512, write: 20 * 512 });
    const net = parseNetDev("h1\nh2\n    lo: 5 0 0 0 0 0 0 0 5 0\n  eth0: 1000 2 0 0 0 0 0 0 3000 4 0 0 0 0 0 0");
    expect([...net]).toEqual([["eth0", { rx: 1000, tx: 3000 }]]);
  });

  it("turns counters into % and rates between two reads", () => {
    const files: Record<string, string> = {
      "/proc/stat": "cpu  100 0 0 900 0 0 0 0\ncpu0 100 0 0 900 0 0 0 0\n",
      "/proc/meminfo": "MemTotal: 1000 kB\nMemAvailable: 250 kB\nSwapTotal: 0 kB\nSwapFree: 0 kB\n",
      "/proc/loadavg": "0.50 0.40 0.30 1/100 1\n",
      "/proc/diskstats": "",
      "/proc/net/dev": "a\nb\n  eth0: 0 0 0 0 0 0 0 0 0 0\n",
      "/proc/mounts": "",
    };
    const s = new HostSampler({ read: (p) => files[p] ?? "" });
    const first = s.sample(1000);
    expect(first.v[HOST_METRICS.indexOf("cpu")]).toBeNull(); // no previous read: no rate
    expect(first.v[HOST_METRICS.indexOf("mem.used")]).toBe(750 * 1024);
    files["/proc/stat"] = "cpu  400 0 0 1600 0 0 0 0\ncpu0 400 0 0 1600 0 0 0 0\n";
    files["/proc/net/dev"] = "a\nb\n  eth0: 2000 0 0 0 0 0 0 0 500 0\n";
    const second = s.sample(3000);
    expect(second.v[HOST_METRICS.indexOf("cpu")]).toBeCloseTo(30); // 300 busy of 1000
    expect(second.v[HOST_METRICS.indexOf("net.rx")]).toBe(1000); // 2000 B over 2 s
    expect(second.detail.cores).toEqual([30]);
  });
});

describe("domain sampler", () => {
  const stats = (cpuNs: bigint, rx: bigint) => ({
    "cpu.time": cpuNs,
    "vcpu.current": 2,
    "balloon.current": 1024n,
    "balloon.maximum": 2048n,
    "net.count": 1,
    "net.0.rx.bytes": rx,
    "net.0.tx.bytes": 0n,
  });

  it("computes CPU as a share of all vCPUs and leaves unreported memory null", () => {
    const d = new DomainSampler();
    const u = "11111111-2222-3333-4444-555555555555";
    expect(d.sample(u, stats(0n, 0n), 0)[VM_METRICS.indexOf("cpu")]).toBeNull();
    const v = d.sample(u, stats(1_000_000_000n, 4096n), 1000);
    expect(v[VM_METRICS.indexOf("cpu")]).toBeCloseTo(50); // 1 s of CPU over 1 s × 2 vCPUs
    expect(v[VM_METRICS.indexOf("net.rx")]).toBe(4096);
    expect(v[VM_METRICS.indexOf("mem.actual")]).toBe(1024 * 1024);
    expect(v[VM_METRICS.indexOf("mem.used")]).toBeNull();
    // A restarted domain's counters go back to zero: no negative rate.
    expect(d.sample(u, stats(10n, 0n), 2000)[VM_METRICS.indexOf("cpu")]).toBeNull();
  });

  it("reports memory used when the guest's balloon driver gives statistics", () => {
    const d = new DomainSampler();
    const v = d.sample("11111111-2222-3333-4444-555555555555", { ...stats(0n, 0n), "balloon.available": 1000n, "balloon.unused": 400n }, 0);
    expect(v[VM_METRICS.indexOf("mem.used")]).toBe(600 * 1024);
  });
});
