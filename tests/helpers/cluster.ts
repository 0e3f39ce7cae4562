// Several real servers on one real PostgreSQL database (issue 15 point 1): each test file
// gets a database of its own, created through the lab's admin connection and dropped after.
import { randomBytes } from "node:crypto";
import type { Client as PgClient } from "pg";
import { startServer, startWithAdmin, type Client, type TestServer } from "./server";

/** The lab's maintenance database, from which test databases are created. */
function adminUrl(): string {
  if (process.env.HANGAR_PG_ADMIN_URL) return process.env.HANGAR_PG_ADMIN_URL;
  const u = new URL(process.env.HANGAR_TEST_PG_URL!);
  u.pathname = "/postgres";
  return u.toString();
}

async function admin<T>(fn: (c: PgClient) => Promise<T>): Promise<T> {
  const { default: pg } = await import("pg");
  const c = new pg.Client({ connectionString: adminUrl() });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

export interface ScratchDatabase {
  url: string;
  drop: () => Promise<void>;
}

/** An empty database `hx_replicas_<random>` on the lab's PostgreSQL. */
export async function scratchDatabase(): Promise<ScratchDatabase> {
  const name = `hx_replicas_${randomBytes(5).toString("hex")}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  const u = new URL(adminUrl());
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    // WITH (FORCE): a server killed mid-test may still hold connections.
    drop: () => admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

export interface Cluster {
  db: ScratchDatabase;
  servers: TestServer[];
  /** The first admin, signed in on server A. */
  admin: Client;
  stop: () => Promise<void>;
}

/**
 * `n` servers on one fresh database. The first migrates and takes the setup token; the
 * others start after it, so they find the schema applied and an admin present.
 */
export async function startCluster(
  n: number,
  env: Record<string, string> = {},
  envOf: (i: number) => Record<string, string> = () => ({}),
): Promise<Cluster> {
  const db = await scratchDatabase();
  const servers: TestServer[] = [];
  try {
    const first = await startWithAdmin({ DATABASE_URL: db.url, ...env, ...envOf(0) });
    servers.push(first.srv);
    for (let i = 1; i < n; i++) servers.push(await startServer({ DATABASE_URL: db.url, ...env, ...envOf(i) }));
    const stop = async () => {
      await Promise.all(servers.map((s) => s.stop()));
      await db.drop();
    };
    return { db, servers, admin: first.admin, stop };
  } catch (err) {
    await Promise.all(servers.map((s) => s.stop()));
    await db.drop();
    throw err;
  }
}
