// The database's disk fills up (a small tmpfs holds the SQLite file): writes are refused
// with a clear error naming the cause, reads keep working, nothing half-written remains,
// the database is intact, and work resumes by itself once space returns.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, expect, it } from "vitest";
import { labSuite } from "../helpers/lab";
import { startWithAdmin, type Client, type TestServer } from "../helpers/server";

/** Fills the file system holding `dir` until it refuses another byte. */
function fill(file: string): void {
  const chunk = Buffer.alloc(64 * 1024, 1);
  const fd = fs.openSync(file, "w");
  try {
    for (;;) fs.writeSync(fd, chunk);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOSPC") throw err;
  } finally {
    fs.closeSync(fd);
  }
  // The last partial block too.
  try {
    fs.appendFileSync(file, Buffer.alloc(512));
  } catch {
    /* full */
  }
}

labSuite("tmpfs", "database disk full", () => {
  const mnt = fs.mkdtempSync(path.join(os.tmpdir(), "hangar-dbfull-"));
  const filler = path.join(mnt, "filler");
  let srv: TestServer;
  let admin: Client;

  beforeAll(async () => {
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=6m", "tmpfs", mnt]);
    ({ srv, admin } = await startWithAdmin({ DATABASE_URL: `file:${path.join(mnt, "hangar.db")}` }));
  });

  afterAll(async () => {
    if (process.env.HANGAR_TEST_LOGS) console.log(srv?.logs());
    await srv?.stop();
    execFileSync("umount", [mnt]);
    fs.rmSync(mnt, { recursive: true, force: true });
  });

  it("refuses writes with 507 naming the cause, keeps reads, leaves nothing half-written; recovers when space returns", async () => {
    fill(filler);
    const made = await admin.req("POST", "/api/users", { username: "while-full", password: "a long enough password 1", role: "viewer" });
    expect(made.status, JSON.stringify(made.json)).toBe(507);
    expect(made.json.error.message).toMatch(/disk.*full/i);
    // Reading still works, signed in as before.
    const users = await admin.req("GET", "/api/users");
    expect(users.status).toBe(200);
    expect(users.json.users.map((u: { username: string }) => u.username)).not.toContain("while-full");

    fs.rmSync(filler);
    const again = await admin.req("POST", "/api/users", { username: "after-full", password: "a long enough password 2", role: "viewer" });
    expect(again.status, JSON.stringify(again.json)).toBe(201);
    const names = (await admin.req("GET", "/api/users")).json.users.map((u: { username: string }) => u.username);
    expect(names).toContain("after-full");
    expect(names).not.toContain("while-full");

    const db = new Database(path.join(mnt, "hangar.db"), { readonly: true });
    try {
      expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
    } finally {
      db.close();
    }
  });
});
