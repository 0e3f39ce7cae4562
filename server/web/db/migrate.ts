// Applies the committed SQL migrations (prisma/migrations, prisma/postgres/migrations) in
// name order, each in its own transaction, recording them in _hangar_migrations.
// Why not `prisma migrate deploy`: through @prisma/adapter-pg it fails on PostgreSQL
// (prisma/orm#27403), and spawning the CLI costs ~1 s of every start.
import fs from "node:fs";
import path from "node:path";
import { isPostgresUrl, sqliteFileFromUrl } from "./url";

export interface MigrationResult {
  applied: string[];
  total: number;
}

export function migrationsDir(root: string, url: string): string {
  return isPostgresUrl(url) ? path.join(root, "prisma", "postgres", "migrations") : path.join(root, "prisma", "migrations");
}

function listMigrations(dir: string): { name: string; sql: string }[] {
  if (!fs.existsSync(dir)) throw new Error(`no migrations folder at ${dir}`);
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .map((name) => ({ name, sql: fs.readFileSync(path.join(dir, name, "migration.sql"), "utf8") }));
}

export async function migrate(url: string, root = process.cwd()): Promise<MigrationResult> {
  const all = listMigrations(migrationsDir(root, url));
  return isPostgresUrl(url) ? migratePostgres(url, all) : migrateSqlite(url, all);
}

async function migrateSqlite(url: string, all: { name: string; sql: string }[]): Promise<MigrationResult> {
  const { default: Database } = await import("better-sqlite3");
  const file = sqliteFileFromUrl(url);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  try {
    db.pragma("journal_mode = WAL");
    db.exec('CREATE TABLE IF NOT EXISTS "_hangar_migrations" (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
    const done = new Set(
      db
        .prepare('SELECT name FROM "_hangar_migrations"')
        .all()
        .map((r) => (r as { name: string }).name),
    );
    const applied: string[] = [];
    for (const m of all) {
      if (done.has(m.name)) continue;
      db.transaction(() => {
        db.exec(m.sql);
        db.prepare('INSERT INTO "_hangar_migrations" (name, applied_at) VALUES (?, ?)').run(m.name, new Date().toISOString());
      })();
      applied.push(m.name);
    }
    return { applied, total: all.length };
  } finally {
    db.close();
  }
}

async function migratePostgres(url: string, all: { name: string; sql: string }[]): Promise<MigrationResult> {
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // Several replicas may start at once: one migrates, the others wait on the lock.
    await client.query("SELECT pg_advisory_lock(7240313)");
    await client.query('CREATE TABLE IF NOT EXISTS "_hangar_migrations" (name TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL)');
    const { rows } = await client.query<{ name: string }>('SELECT name FROM "_hangar_migrations"');
    const done = new Set(rows.map((r) => r.name));
    const applied: string[] = [];
    for (const m of all) {
      if (done.has(m.name)) continue;
      await client.query("BEGIN");
      try {
        await client.query(m.sql);
        await client.query('INSERT INTO "_hangar_migrations" (name, applied_at) VALUES ($1, now())', [m.name]);
        await client.query("COMMIT");
      } catch (err) {
        await client.query("ROLLBACK");
        throw new Error(`migration ${m.name} failed: ${(err as Error).message}`);
      }
      applied.push(m.name);
    }
    return { applied, total: all.length };
  } finally {
    await client.query("SELECT pg_advisory_unlock(7240313)").catch(() => undefined);
    await client.end();
  }
}
