import { describe, expect, it } from "vitest";
import { RefusalThrottle } from "./audit";

describe("RefusalThrottle", () => {
  it("admits the first refusals per address and reason, counts the rest, and summarises them when the window ends", () => {
    const t = new RefusalThrottle(3, 100);
    const admitted = Array.from({ length: 1000 }, () => t.admit("10.0.0.1", "session-missing")).filter(Boolean).length;
    expect(admitted).toBe(3);
    // Another reason, and another address, have their own allowance.
    expect(t.admit("10.0.0.1", "ticket-used")).toBe(true);
    expect(t.admit("10.0.0.2", "session-missing")).toBe(true);
    expect(t.roll()).toEqual([{ ip: "10.0.0.1", reason: "session-missing", count: 997 }]);
    // A new window starts empty.
    expect(t.admit("10.0.0.1", "session-missing")).toBe(true);
    expect(t.roll()).toEqual([]);
  });

  it("bounds the rows of a flood from many addresses: a cap per window, and a bounded number of summaries", () => {
    const t = new RefusalThrottle(5, 30, 100);
    let admitted = 0;
    for (let i = 0; i < 5000; i++) if (t.admit(`10.0.${i >> 8}.${i & 255}`, "credential-unknown")) admitted++;
    expect(admitted).toBe(30);
    const summaries = t.roll(10);
    expect(summaries).toHaveLength(10);
    expect(summaries.reduce((s, r) => s + r.count, 0)).toBe(5000 - 30);
    // Past 100 distinct keys, new addresses share one key: memory stays bounded too.
    expect(summaries.some((s) => s.ip === "*")).toBe(true);
  });
});
