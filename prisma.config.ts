// Prisma CLI configuration. Uses the JavaScript schema engine through a driver adapter,
// because the Rust engine binaries cannot be downloaded on our machines (see
// ../shared/notes/host-lab.md). The provider follows DATABASE_URL.
import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { databaseUrl, isPostgresUrl, sqliteFileFromUrl } from "./server/web/db/url";

const url = databaseUrl();
const pg = isPostgresUrl(url);

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: pg ? path.join("prisma", "postgres", "schema.prisma") : path.join("prisma", "schema.prisma"),
  migrations: { path: pg ? path.join("prisma", "postgres", "migrations") : path.join("prisma", "migrations") },
  adapter: async () => (pg ? new PrismaPg({ connectionString: url }) : new PrismaBetterSQLite3({ url: `file:${sqliteFileFromUrl(url)}` })),
});
