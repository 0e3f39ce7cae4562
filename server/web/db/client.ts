// Hangar's Prisma client for the configured database. Both generated clients come from the
// same schema, so the PostgreSQL one is used through the SQLite one's type.
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as SqliteClient } from "./generated/sqlite/client";
import { PrismaClient as PostgresClient } from "./generated/postgres/client";
import { isPostgresUrl, sqliteFileFromUrl } from "./url";

export type Db = SqliteClient;
export type { User, Session, Host, Task, AuditEvent, ApiToken, BackupJob, JobRun } from "./generated/sqlite/client";

export function createDb(url: string): Db {
  if (isPostgresUrl(url)) {
    return new PostgresClient({ adapter: new PrismaPg({ connectionString: url }) }) as unknown as Db;
  }
  return new SqliteClient({ adapter: new PrismaBetterSQLite3({ url: `file:${sqliteFileFromUrl(url)}` }) });
}
