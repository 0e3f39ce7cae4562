import { describe, expect, it } from "vitest";
import { SampleRing } from "./sample-ring";

const all = (r: SampleRing, width: number) =>
  Array.from({ length: r.size }, (_, i) => [r.t(i), ...Array.from({ length: width }, (_, k) => r.value(i, k))]);

describe("SampleRing", () => {
  it("keeps samples oldest first, nulls as null, and ignores a sample not newer than the last", () => {
    const r = new SampleRing(2, 10_000, 1000);
    r.push(1000, [1, null]);
    r.push(2000, [2.5, 3]);
    r.push(2000, [9, 9]); // the coarse and the fine sample of one tick
    r.push(1500, [9, 9]);
    expect(all(r, 2)).toEqual([
      [1000, 1, null],
      [2000, 2.5, 3],
    ]);
    expect(r.value(0, 5)).toBeNull();
  });

  it("drops what left the window, wrapping around its preallocated rows", () => {
    const r = new SampleRing(1, 3000, 1000);
    for (let t = 1000; t <= 10_000; t += 1000) r.push(t, [t / 1000]);
    expect(all(r, 1)).toEqual([
      [7000, 7],
      [8000, 8],
      [9000, 9],
      [10_000, 10],
    ]);
  });

  it("grows when samples come faster than expected, keeping the whole window", () => {
    const r = new SampleRing(1, 3000, 1000);
    for (let t = 250; t <= 4000; t += 250) r.push(t, [t]);
    expect(r.size).toBe(13); // 1000…4000 every 250 ms
    expect(r.t(0)).toBe(1000);
    expect(r.value(12, 0)).toBe(4000);
  });
});
