import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Backoff } from "./backoff";
import { KeyedQueue } from "./keyed-queue";

describe("Backoff", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("doubles from firstMs up to maxMs, one pending retry at a time, and starts over after success", () => {
    const retries: number[] = [];
    const b = new Backoff(() => retries.push(Date.now()), { firstMs: 100, maxMs: 500 });
    const t0 = Date.now();
    const delays: number[] = [];
    for (let i = 0; i < 5; i++) {
      const before = Date.now();
      b.schedule();
      b.schedule(); // already pending: ignored
      vi.runOnlyPendingTimers();
      delays.push(Date.now() - before);
    }
    expect(delays).toEqual([100, 200, 400, 500, 500]);
    expect(retries).toHaveLength(5);
    expect(b.failures).toBe(5);
    b.succeeded();
    const before = Date.now();
    b.schedule();
    vi.runOnlyPendingTimers();
    expect(Date.now() - before).toBe(100);
    expect(Date.now()).toBeGreaterThan(t0);
  });

  it("a fixed wait does not count as a failure; stop() cancels the pending retry and any later one", () => {
    const retry = vi.fn();
    const b = new Backoff(retry, { firstMs: 100, maxMs: 1000 });
    b.schedule(60_000);
    expect(b.failures).toBe(0);
    b.stop();
    vi.advanceTimersByTime(120_000);
    b.schedule();
    vi.advanceTimersByTime(120_000);
    expect(retry).not.toHaveBeenCalled();
    expect(b.stopped).toBe(true);
  });

  it("jitter waits between half and all of each step", () => {
    const b = new Backoff(() => undefined, { firstMs: 1000, maxMs: 1000, jitter: true });
    for (let i = 0; i < 20; i++) {
      const before = Date.now();
      b.schedule();
      vi.runOnlyPendingTimers();
      const d = Date.now() - before;
      expect(d).toBeGreaterThanOrEqual(500);
      expect(d).toBeLessThanOrEqual(1000);
    }
  });
});

describe("KeyedQueue", () => {
  it("runs work for one key in order, other keys alongside", async () => {
    const q = new KeyedQueue();
    const log: string[] = [];
    let open = () => undefined as void;
    const gate = new Promise<void>((r) => (open = r));
    q.run("a", async () => {
      await gate;
      log.push("a1");
    });
    q.run("a", async () => void log.push("a2"));
    q.run("b", async () => void log.push("b1"));
    await new Promise((r) => setTimeout(r, 10));
    expect(log).toEqual(["b1"]);
    open();
    await new Promise((r) => setTimeout(r, 10));
    expect(log).toEqual(["b1", "a1", "a2"]);
  });
});
