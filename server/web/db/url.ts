// Where Hangar's database lives. SQLite under data/ is the embedded default; PostgreSQL is
// chosen by giving a postgres:// URL (the path for several server replicas).
import path from "node:path";

export const DEFAULT_SQLITE_FILE = path.join("data", "hangar.db");

export function databaseUrl(env: Record<string, string | undefined> = process.env): string {
  return env.DATABASE_URL?.trim() || `file:${DEFAULT_SQLITE_FILE}`;
}

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}

/** `file:data/x.db` or `file:/abs/x.db` → a path; relative paths are taken from the cwd. */
export function sqliteFileFromUrl(url: string): string {
  const raw = url.replace(/^file:/, "").split("?")[0] ?? "";
  if (!raw) throw new Error("DATABASE_URL names no SQLite file");
  return path.resolve(raw);
}
