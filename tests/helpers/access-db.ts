// Writes rights straight into a test server's SQLite database, as another server process
// on the same database would, and moves the "access.generation" row so that the server
// reloads within its 500 ms poll (server/web/auth/access.ts). Used while the REST routes
// for assignments and tags are elsewhere; it also exercises the cross-process path.
import path from "node:path";
import { randomUUID } from "node:crypto";
import Database from "better-sqlite3";

export class AccessDb {
  private readonly db: Database.Database;

  constructor(dir: string) {
    this.db = new Database(path.join(dir, "hangar.db"));
    this.db.pragma("busy_timeout = 5000");
  }

  /** Moves the generation row: every server on this database reloads its rights. */
  bump(): void {
    this.db
      .prepare(`INSERT INTO "Setting" (key, value, updatedAt) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`)
      .run("access.generation", `test.${randomUUID()}`, new Date().toISOString());
  }

  /** A role on one scope for a user; returns the assignment's id. */
  assign(userId: string, role: string, scopeType: "global" | "host" | "vm" | "tag", scopeId: string): string {
    const id = `test-${randomUUID()}`;
    this.db
      .prepare(`INSERT INTO "RoleAssignment" (id, userId, subjectKey, role, scopeType, scopeId, createdBy) VALUES (?, ?, ?, ?, ?, ?, 'test')`)
      .run(id, userId, `user:${userId}`, role, scopeType, scopeId);
    this.bump();
    return id;
  }

  unassign(id: string): void {
    this.db.prepare(`DELETE FROM "RoleAssignment" WHERE id = ?`).run(id);
    this.bump();
  }

  tag(targetType: "vm" | "container", hostId: string, targetId: string, tag: string): void {
    this.db.prepare(`INSERT INTO "ResourceTag" (targetType, hostId, targetId, tag) VALUES (?, ?, ?, ?)`).run(targetType, hostId, targetId, tag);
    this.bump();
  }

  /** The account's fleet-wide role ("none": rights only through assignments). */
  setRole(userId: string, role: string): void {
    this.db.prepare(`UPDATE "User" SET role = ? WHERE id = ?`).run(role, userId);
    this.bump();
  }

  /** Disables the account (its sessions stay: only the generation tells the server). */
  disable(userId: string): void {
    this.db.prepare(`UPDATE "User" SET disabledAt = ? WHERE id = ?`).run(new Date().toISOString(), userId);
    this.bump();
  }

  close(): void {
    this.db.close();
  }
}
