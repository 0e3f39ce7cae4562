import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "../db/client";
import { migrate } from "../db/migrate";
import { FailureLimiter } from "./rate-limit";

// The limiter counts in the database: a real SQLite file, migrated like the server's.
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "hangar-limiter-"));
const url = `file:${path.join(tmp, "t.db")}`;
let db: Db;
beforeAll(async () => {
  await migrate(url);
  db = createDb(url);
});
afterAll(async () => {
  await db?.$disconnect();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe("FailureLimiter", () => {
  it("blocks after max failures within the window and frees the key after it", async () => {
    let now = 0;
    const l = new FailureLimiter(db, "a", 3, 60_000, () => now);
    for (let i = 0; i < 3; i++) {
      expect(await l.retryAfter("k")).toBe(0);
      await l.fail("k");
      now += 1000;
    }
    expect(await l.retryAfter("k")).toBe(57); // the oldest failure (t=0) leaves the window at 60 s
    expect(await l.retryAfter("other")).toBe(0);
    now = 60_001;
    expect(await l.retryAfter("k")).toBe(0);
  });

  it("reset clears a key, and scopes keep limiters apart", async () => {
    const l = new FailureLimiter(db, "b", 1, 60_000, () => 0);
    const other = new FailureLimiter(db, "c", 1, 60_000, () => 0);
    await l.fail("k");
    expect(await l.retryAfter("k")).toBeGreaterThan(0);
    expect(await other.retryAfter("k")).toBe(0);
    await l.reset("k");
    expect(await l.retryAfter("k")).toBe(0);
  });

  it("deletes failures that left the window", async () => {
    let now = 1_000_000;
    const l = new FailureLimiter(db, "d", 5, 10_000, () => now);
    await l.fail("old");
    await l.fail("k");
    now += 120_000;
    await l.fail("k");
    expect(await db.loginFailure.count({ where: { key: { startsWith: "d:" } } })).toBe(1);
  });
});
