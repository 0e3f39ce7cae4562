import { describe, expect, it } from "vitest";
import { FailureLimiter } from "./rate-limit";

describe("FailureLimiter", () => {
  it("blocks after max failures within the window and frees the key after it", () => {
    let now = 0;
    const l = new FailureLimiter(3, 60_000, () => now);
    for (let i = 0; i < 3; i++) {
      expect(l.retryAfter("k")).toBe(0);
      l.fail("k");
      now += 1000;
    }
    expect(l.retryAfter("k")).toBe(57); // the oldest failure (t=0) leaves the window at 60 s
    expect(l.retryAfter("other")).toBe(0);
    now = 60_001;
    expect(l.retryAfter("k")).toBe(0);
  });

  it("reset clears a key", () => {
    const l = new FailureLimiter(1, 60_000, () => 0);
    l.fail("k");
    expect(l.retryAfter("k")).toBeGreaterThan(0);
    l.reset("k");
    expect(l.retryAfter("k")).toBe(0);
  });
});
