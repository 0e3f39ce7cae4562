// The Prisma layer on both databases: migrations, sessions with a controlled clock
// (idle and absolute expiry, revocation), constraints. PostgreSQL runs when
// HANGAR_TEST_PG_URL is set (the test command starts one on loopback).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "@/server/web/db/client";
import { migrate } from "@/server/web/db/migrate";
import { SessionService } from "@/server/web/auth/sessions";
import { labSuite } from "../helpers/lab";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "hangar-db-"));
const targets: [string, string][] = [["sqlite", `file:${path.join(tmp, "t.db")}`]];
if (process.env.HANGAR_TEST_PG_URL) targets.push(["postgresql", process.env.HANGAR_TEST_PG_URL]);
// Without PostgreSQL its half of this file is reported as skipped, or fails under CI /
// HANGAR_REQUIRE_LAB=1 (the body below never runs: labSuite only runs it with the URL set).
else labSuite("postgres", "Prisma layer on postgresql", () => it("runs every test above on PostgreSQL too", () => undefined));

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe.each(targets)("Prisma layer on %s", (_name, url) => {
  let db: Db;
  afterAll(async () => {
    await db?.$disconnect();
  });

  it("applies migrations once and is idempotent", async () => {
    if (url.startsWith("postgres")) {
      const { default: pg } = await import("pg");
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query("DROP SCHEMA public CASCADE; CREATE SCHEMA public;");
      await c.end();
    }
    const first = await migrate(url);
    expect(first.applied.length).toBe(first.total);
    expect((await migrate(url)).applied).toEqual([]);
    db = createDb(url);
  });

  it("enforces unique usernames", async () => {
    await db.user.create({ data: { username: "alice", passwordHash: "h" } });
    await expect(db.user.create({ data: { username: "alice", passwordHash: "h" } })).rejects.toThrow();
    expect(await db.user.count({ where: { username: "alice" } })).toBe(1);
  });

  it("expires sessions on idle and absolute timeouts and on revocation (controlled clock)", async () => {
    let now = Date.parse("2026-01-01T00:00:00Z");
    const svc = new SessionService(db, { idleMs: 30 * 60_000, maxMs: 12 * 3600_000 }, () => now);
    const user = await db.user.create({ data: { username: "bob", passwordHash: "h" } });
    const { token, session } = await svc.create(user.id, { userAgent: "t", ip: "127.0.0.1" });
    expect(await db.session.count({ where: { tokenHash: token } })).toBe(0); // only the hash is stored
    expect((await svc.validate(token))?.user.username).toBe("bob");
    now += 29 * 60_000;
    expect(await svc.validate(token)).not.toBeNull(); // touched: idle clock restarts
    now += 29 * 60_000;
    expect(await svc.validate(token)).not.toBeNull();
    now += 31 * 60_000;
    expect(await svc.validate(token)).toBeNull(); // idle > 30 min
    expect(await svc.isAlive(session.id)).toBe(false);

    const s2 = await svc.create(user.id, { userAgent: "t", ip: "127.0.0.1" });
    for (let i = 0; i < 25; i++) {
      now += 29 * 60_000;
      if (!(await svc.validate(s2.token))) break;
    }
    expect(now - Date.parse("2026-01-01T00:00:00Z")).toBeLessThan(15 * 3600_000);
    expect(await svc.validate(s2.token)).toBeNull(); // absolute 12 h lifetime

    const s3 = await svc.create(user.id, { userAgent: "t", ip: "127.0.0.1" });
    const closed: string[][] = [];
    svc.onRevoke((ids) => closed.push(ids));
    expect(await svc.revoke(s3.session.id, "someone-else")).toBe(false);
    expect(await svc.revoke(s3.session.id, user.id)).toBe(true);
    expect(closed).toEqual([[s3.session.id]]);
    expect(await svc.validate(s3.token)).toBeNull();
  });
});
