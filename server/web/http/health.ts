// /healthz and /readyz for load balancers (decision 0005), answered by the custom server
// before Next: they must answer while Next is busy, and need no session.
// healthz: the process is up. readyz: it can serve: database reachable, every migration
// this build knows applied, the console relay running, and (with peers) events arriving.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Db } from "../db/client";

export interface HealthDeps {
  db: Db;
  /** Migrations this build carries. */
  migrations: number;
  consoleRelay: () => boolean;
  /** Null on a single server (SQLite): nothing to listen to. */
  events: (() => boolean) | null;
}

export const HEALTH_PATHS = new Set(["/healthz", "/readyz"]);

export async function answerHealth(req: IncomingMessage, res: ServerResponse, deps: HealthDeps): Promise<void> {
  const path = (req.url ?? "").split("?")[0];
  if (path === "/healthz") return send(res, 200, { ok: true });
  const checks: Record<string, boolean> = {
    database: false,
    migrations: false,
    consoleRelay: deps.consoleRelay(),
    ...(deps.events ? { events: deps.events() } : {}),
  };
  try {
    const [row] = await deps.db.$queryRawUnsafe<{ n: number | bigint }[]>('SELECT COUNT(*) AS n FROM "_hangar_migrations"');
    checks.database = true;
    checks.migrations = Number(row?.n ?? 0) >= deps.migrations;
  } catch {
    /* database unreachable: both stay false */
  }
  const ready = Object.values(checks).every(Boolean);
  send(res, ready ? 200 : 503, { ready, checks });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "Content-Type": "application/json", "Cache-Control": "no-store" });
  res.end(JSON.stringify(body));
}
