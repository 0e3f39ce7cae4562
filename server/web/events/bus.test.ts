import { describe, expect, it, vi } from "vitest";
import { EventBus } from "./bus";

const ev = (hostId: string) => ({ type: "host.changed" as const, hostId });

describe("EventBus replay window", () => {
  it("gives the events after a point of this epoch, in order, serialised once", () => {
    const bus = new EventBus({ maxEvents: 10, maxAgeMs: 60_000, maxReplayBytes: 1 << 20 });
    const seen: string[] = [];
    bus.subscribe((p) => seen.push(p.raw));
    for (let i = 1; i <= 5; i++) bus.publish(ev(`h${i}`));
    expect(bus.since(bus.epoch, 2)!.map((p) => p.seq)).toEqual([3, 4, 5]);
    expect(bus.since(bus.epoch, 5)).toEqual([]);
    expect(bus.since(bus.epoch, 0)!.map((p) => p.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(JSON.parse(seen[2]!)).toEqual({ type: "host.changed", hostId: "h3", seq: 3 });
    expect(bus.since(bus.epoch, 3)![0]!.raw).toBe(seen[3]);
  });

  it("sends transient events (task progress) live without a seq and never keeps them for replay", () => {
    const bus = new EventBus({ maxEvents: 2, maxAgeMs: 60_000, maxReplayBytes: 1 << 20 });
    const seen: string[] = [];
    bus.subscribe((p) => seen.push(p.raw));
    bus.publish(ev("h1"));
    for (let i = 0; i < 10; i++)
      bus.transient({ type: "task.progress", taskId: "t", done: i, total: 10 }, { kind: "fleet", permission: "task.read" });
    bus.publish(ev("h2"));
    expect(bus.lastSeq).toBe(2);
    expect(bus.since(bus.epoch, 0)!.map((p) => p.seq)).toEqual([1, 2]);
    expect(JSON.parse(seen[1]!)).toEqual({ type: "task.progress", taskId: "t", done: 0, total: 10 });
    expect(seen).toHaveLength(12);
  });

  it("refuses another epoch, a future point, and a point pushed out of the ring", () => {
    const bus = new EventBus({ maxEvents: 3, maxAgeMs: 60_000, maxReplayBytes: 1 << 20 });
    for (let i = 1; i <= 5; i++) bus.publish(ev(`h${i}`));
    expect(bus.since("other", 4)).toBeNull();
    expect(bus.since(bus.epoch, 6)).toBeNull();
    expect(bus.since(bus.epoch, 1)).toBeNull(); // 2 was pushed out
    expect(bus.since(bus.epoch, 2)!.map((p) => p.seq)).toEqual([3, 4, 5]);
    expect(new EventBus().epoch).not.toBe(bus.epoch);
  });

  it("forgets events older than the window", () => {
    vi.useFakeTimers();
    try {
      const bus = new EventBus({ maxEvents: 100, maxAgeMs: 1000, maxReplayBytes: 1 << 20 });
      bus.publish(ev("a"));
      vi.advanceTimersByTime(600);
      bus.publish(ev("b"));
      vi.advanceTimersByTime(600);
      expect(bus.since(bus.epoch, 0)).toBeNull();
      expect(bus.since(bus.epoch, 1)!.map((p) => p.seq)).toEqual([2]);
      vi.advanceTimersByTime(1000);
      expect(bus.since(bus.epoch, 1)).toBeNull();
      expect(bus.since(bus.epoch, 2)).toEqual([]);
    } finally {
      vi.useRealTimers();
    }
  });

  it("answers null when the replay would cost more bytes than a refetch", () => {
    const bus = new EventBus({ maxEvents: 100, maxAgeMs: 60_000, maxReplayBytes: 200 });
    for (let i = 1; i <= 10; i++) bus.publish(ev(`host-${i}`)); // ~45 bytes each
    expect(bus.since(bus.epoch, 7)!.map((p) => p.seq)).toEqual([8, 9, 10]);
    expect(bus.since(bus.epoch, 0)).toBeNull();
  });

  it("holds only what a replay can send, and answers as a window that kept everything would", () => {
    const max = 300;
    const bus = new EventBus({ maxEvents: 1000, maxAgeMs: 60_000, maxReplayBytes: max });
    const all: { seq: number; raw: string }[] = [];
    bus.subscribe((p) => all.push({ seq: p.seq, raw: p.raw }));
    // Events of varied size (host ids of 1 to 60 characters), so the bound falls mid-event.
    for (let i = 1; i <= 200; i++) bus.publish(ev("h".repeat(1 + ((i * 37) % 60))));
    // The reference: every event kept, refused only by the byte budget.
    const reference = (seq: number) => {
      const after = all.filter((k) => k.seq > seq);
      return after.reduce((n, k) => n + k.raw.length, 0) > max ? null : after.map((k) => k.seq);
    };
    for (let seq = 0; seq <= 200; seq++) expect(bus.since(bus.epoch, seq)?.map((k) => k.seq) ?? null, `since ${seq}`).toEqual(reference(seq));
    const kept = (bus as unknown as { ring: ({ raw: string } | undefined)[] }).ring.filter((k) => k !== undefined);
    expect(kept.reduce((n, k) => n + k.raw.length, 0)).toBeLessThanOrEqual(max);
    expect(kept.length).toBeLessThan(20);
  });
});
