import { describe, expect, it } from "vitest";
import { formatAgo, formatBytes, formatDate, formatNumber, formatPercent, formatTicks } from "./format";

describe("locale formatting", () => {
  it("writes sizes with the language's decimal separator and binary units", () => {
    expect(formatBytes(1536, "en")).toBe("1.5 KiB");
    expect(formatBytes(1536, "es")).toBe("1,5 KiB");
    expect(formatBytes(10 * 1024 ** 3, "es")).toBe("10 GiB");
    expect(formatBytes(512, "en")).toBe("512 B");
  });

  it("writes numbers, percentages and dates per language", () => {
    expect(formatNumber(12345.5, "en", 1)).toBe("12,345.5");
    expect(formatNumber(12345.5, "es", 1)).toBe("12.345,5");
    expect(formatPercent(7.25, "es")).toBe("7,3 %");
    const at = Date.UTC(2026, 11, 4, 15, 30);
    expect(formatDate(at, "en", "date", "UTC")).toBe("Dec 4, 2026");
    expect(formatDate(at, "es", "date", "UTC")).toBe("4 dic 2026");
  });

  it("labels a chart's time axis per language, as fine as its ticks", () => {
    const t0 = Date.UTC(2026, 11, 4, 15, 5) / 1000;
    expect(formatTicks([t0, t0 + 10], "en", "UTC")).toEqual(["03:05:00 PM", "03:05:10 PM"]);
    expect(formatTicks([t0, t0 + 10], "es", "UTC")).toEqual(["15:05:00", "15:05:10"]);
    expect(formatTicks([t0, t0 + 300], "es", "UTC")).toEqual(["15:05", "15:10"]);
    expect(formatTicks([t0, t0 + 86400], "es", "UTC")).toEqual(["4 dic", "5 dic"]);
    expect(formatTicks([t0, t0 + 86400], "en", "UTC")).toEqual(["Dec 4", "Dec 5"]);
  });

  it("writes relative times per language", () => {
    const now = Date.UTC(2026, 11, 4, 12);
    expect(formatAgo(now - 5_000, "en", now)).toBe("5 sec. ago");
    expect(formatAgo(now - 5_000, "es", now)).toBe("hace 5 s");
    expect(formatAgo(now - 3 * 3600_000, "es", now)).toBe("hace 3 h");
  });
});
