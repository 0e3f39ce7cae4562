import { describe, expect, it } from "vitest";
import { dayKey, toPrune, weekKey } from "./retention";

const at = (iso: string, id = iso) => ({ id, at: new Date(iso) });
const ids = (xs: { id: string }[]) => xs.map((x) => x.id).sort();

describe("backup retention", () => {
  const hourly = Array.from({ length: 6 }, (_, i) => at(`2026-12-04T0${i}:00:00.000Z`));

  it("keeps everything without a rule", () => {
    expect(toPrune(hourly, {}, "UTC")).toEqual([]);
  });

  it("keeps the newest N", () => {
    expect(ids(toPrune(hourly, { last: 2 }, "UTC"))).toEqual(ids(hourly.slice(0, 4)));
  });

  it("keeps the newest of each of the D most recent days, in the job's time zone", () => {
    const xs = [at("2026-12-01T10:00:00.000Z"), at("2026-12-01T23:30:00.000Z"), at("2026-12-02T10:00:00.000Z"), at("2026-12-03T10:00:00.000Z")];
    // UTC: days 3, 2 kept (newest of each); 1st's both go.
    expect(ids(toPrune(xs, { daily: 2 }, "UTC"))).toEqual(["2026-12-01T10:00:00.000Z", "2026-12-01T23:30:00.000Z"]);
    // Madrid (UTC+1): 23:30Z on the 1st is already the 2nd, and the newest of that day is 10:00Z on the 2nd.
    expect(dayKey(new Date("2026-12-01T23:30:00.000Z"), "Europe/Madrid")).toBe("2026-12-2");
    expect(ids(toPrune(xs, { daily: 2 }, "Europe/Madrid"))).toEqual(["2026-12-01T10:00:00.000Z", "2026-12-01T23:30:00.000Z"]);
  });

  it("keeps one per ISO week and unions the rules", () => {
    expect(weekKey(new Date("2026-12-04T12:00:00.000Z"), "UTC")).toBe("2026-W49");
    expect(weekKey(new Date("2027-01-01T12:00:00.000Z"), "UTC")).toBe("2026-W53");
    const xs = [at("2026-11-20T00:00:00.000Z"), at("2026-11-27T00:00:00.000Z"), at("2026-12-03T00:00:00.000Z"), at("2026-12-04T00:00:00.000Z")];
    // Dec 3 and 4 are both week 49: only the 4th stands for it.
    expect(ids(toPrune(xs, { weekly: 2 }, "UTC"))).toEqual(["2026-11-20T00:00:00.000Z", "2026-12-03T00:00:00.000Z"]);
    expect(ids(toPrune(xs, { last: 1, weekly: 3 }, "UTC"))).toEqual(["2026-12-03T00:00:00.000Z"]);
  });
});
