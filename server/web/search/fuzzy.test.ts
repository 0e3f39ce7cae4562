import { describe, expect, it } from "vitest";
import { bestField, fuzzyScore } from "./fuzzy";

describe("fuzzy palette matching", () => {
  it("needs every character in order, any case", () => {
    expect(fuzzyScore("wb3", "web-3")).not.toBeNull();
    expect(fuzzyScore("3bw", "web-3")).toBeNull();
    expect(fuzzyScore("WEB", "web-3")).not.toBeNull();
    expect(fuzzyScore("x", "web-3")).toBeNull();
  });

  it("ranks exact over prefix over word-start substring over scattered", () => {
    const rank = (q: string, names: string[]) =>
      names
        .map((n) => [n, fuzzyScore(q, n) ?? -1] as const)
        .sort((a, b) => b[1] - a[1])
        .map(([n]) => n);
    expect(rank("db", ["a-db-x", "dbx", "db", "d-b"])).toEqual(["db", "dbx", "a-db-x", "d-b"]);
    expect(rank("w3", ["web-3", "www-slow-3x"])[0]).toBe("web-3");
  });

  it("names the field that matched best, skipping empty ones", () => {
    const hit = bestField("52:54", [
      ["name", "web-3"],
      ["ip", null],
      ["mac", "52:54:00:12:34:56"],
    ]);
    expect(hit).toMatchObject({ field: "mac", value: "52:54:00:12:34:56" });
    expect(bestField("zzz", [["name", "web-3"]])).toBeNull();
  });
});
