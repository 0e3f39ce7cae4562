// Server settings, all from the environment with safe defaults. Parsed once with zod so a
// typo in a number fails at start-up with the variable's name, not later.
import { z } from "zod";
import { databaseUrl } from "./db/url";

const num = (def: number) => z.coerce.number().int().positive().default(def);

const EnvSchema = z.object({
  PORT: num(8080),
  HANGAR_HOST: z.string().default("0.0.0.0"),
  // Public origin (e.g. https://hangar.example.com). When unset, the Host header of each
  // request defines the origin that browsers must send.
  HANGAR_PUBLIC_URL: z.string().url().optional(),
  // With several servers on one PostgreSQL: where the others reach this one (decision 0005).
  HANGAR_INTERNAL_URL: z.string().url().optional(),
  // Shared by the servers of one cluster; authenticates their internal routes (cluster/internal-auth.ts).
  HANGAR_CLUSTER_SECRET: z.string().min(32, "must be at least 32 characters").max(512).optional(),
  HANGAR_SESSION_IDLE_SECONDS: num(30 * 60),
  HANGAR_SESSION_MAX_SECONDS: num(12 * 60 * 60),
  HANGAR_LOGIN_MAX_FAILURES: num(5),
  HANGAR_LOGIN_WINDOW_SECONDS: num(15 * 60),
  HANGAR_SETUP_TOKEN_SECONDS: num(60 * 60),
  HANGAR_WS_PING_SECONDS: num(25),
  HANGAR_MAX_BODY_BYTES: num(64 * 1024),
  HANGAR_CONSOLE_TICKET_SECONDS: num(30),
  // How long a machine or container action may wait for its agent before the task is
  // unknown (and judged from the state the agent reports).
  HANGAR_ACTION_TIMEOUT_SECONDS: num(120),
  // Largest image archive accepted by upload (streamed, never held in memory).
  HANGAR_MAX_IMAGE_BYTES: num(2 * 1024 * 1024 * 1024),
  // Largest ISO or disk image accepted by a volume upload (streamed, never held in memory).
  HANGAR_MAX_UPLOAD_BYTES: num(64 * 1024 * 1024 * 1024),
  // Trust X-Forwarded-For / X-Forwarded-Proto only behind a reverse proxy we were told about.
  HANGAR_TRUST_PROXY: z.enum(["0", "1"]).default("0"),
  // Run an agent for this machine (the embedded default).
  HANGAR_LOCAL_AGENT: z.enum(["0", "1"]).default("1"),
  // Bearer token for GET /metrics (Prometheus). Unset: the endpoint is disabled (404).
  // How often audit rows past the retention setting are pruned.
  HANGAR_AUDIT_PRUNE_SECONDS: num(60 * 60),
  // How often the backup scheduler looks for due slots (server/web/jobs/scheduler.ts).
  HANGAR_JOBS_TICK_MS: num(5000),
  // Tests only: a file holding an offset (ms) the scheduler adds to the clock (jobs/clock.ts).
  HANGAR_JOBS_CLOCK_FILE: z.string().min(1).optional(),
  HANGAR_METRICS_TOKEN: z.string().min(16, "must be at least 16 characters").max(256).optional(),
  // OIDC sign-in beside local accounts: off while the issuer is unset (auth/oidc.ts).
  HANGAR_OIDC_ISSUER: z.string().url().optional(),
  HANGAR_OIDC_CLIENT_ID: z.string().min(1).max(256).optional(),
  HANGAR_OIDC_CLIENT_SECRET: z.string().min(1).max(1024).optional(),
  HANGAR_OIDC_GROUPS_CLAIM: z.string().min(1).max(128).default("groups"),
  HANGAR_OIDC_LABEL: z.string().min(1).max(64).default("single sign-on"),
  HANGAR_OIDC_SCOPES: z.string().min(1).max(512).default("openid profile groups"),
  // "claimValue=groupName,…": groups whose oidcClaim is set at start (auth/oidc-groups.ts).
  HANGAR_OIDC_GROUP_MAP: z.string().max(8192).default(""),
});

export interface OidcConfig {
  issuer: URL;
  clientId: string;
  /** Null: a public client (PKCE only, no client authentication). */
  clientSecret: string | null;
  groupsClaim: string;
  label: string;
  /** Asked for at the provider; "openid" is added when missing. */
  scopes: string;
  /** claim value → group name */
  groupMap: Map<string, string>;
}

export interface Config {
  port: number;
  host: string;
  publicUrl: URL | null;
  internalUrl: string | null;
  /** Null: no internal routes; a host held by another server is unreachable from this one. */
  clusterSecret: string | null;
  databaseUrl: string;
  secureCookies: boolean;
  sessionIdleMs: number;
  sessionMaxMs: number;
  loginMaxFailures: number;
  loginWindowMs: number;
  setupTokenMs: number;
  wsPingMs: number;
  maxBodyBytes: number;
  consoleTicketMs: number;
  actionTimeoutMs: number;
  maxImageBytes: number;
  maxUploadBytes: number;
  trustProxy: boolean;
  localAgent: boolean;
  metricsToken: string | null;
  auditPruneMs: number;
  jobsTickMs: number;
  jobsClockFile: string | null;
  /** Null when HANGAR_OIDC_ISSUER is unset. The redirect URI is derived from the base URL. */
  oidc: OidcConfig | null;
  dev: boolean;
}

export function loadConfig(env: Record<string, string | undefined> = process.env, dev = false): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const msg = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`invalid environment: ${msg}`);
  }
  const e = parsed.data;
  const publicUrl = e.HANGAR_PUBLIC_URL ? new URL(e.HANGAR_PUBLIC_URL) : null;
  return {
    port: e.PORT,
    host: e.HANGAR_HOST,
    publicUrl,
    internalUrl: e.HANGAR_INTERNAL_URL ?? null,
    clusterSecret: e.HANGAR_CLUSTER_SECRET ?? null,
    databaseUrl: databaseUrl(env),
    secureCookies: publicUrl?.protocol === "https:",
    sessionIdleMs: e.HANGAR_SESSION_IDLE_SECONDS * 1000,
    sessionMaxMs: e.HANGAR_SESSION_MAX_SECONDS * 1000,
    loginMaxFailures: e.HANGAR_LOGIN_MAX_FAILURES,
    loginWindowMs: e.HANGAR_LOGIN_WINDOW_SECONDS * 1000,
    setupTokenMs: e.HANGAR_SETUP_TOKEN_SECONDS * 1000,
    wsPingMs: e.HANGAR_WS_PING_SECONDS * 1000,
    maxBodyBytes: e.HANGAR_MAX_BODY_BYTES,
    consoleTicketMs: e.HANGAR_CONSOLE_TICKET_SECONDS * 1000,
    actionTimeoutMs: e.HANGAR_ACTION_TIMEOUT_SECONDS * 1000,
    maxImageBytes: e.HANGAR_MAX_IMAGE_BYTES,
    maxUploadBytes: e.HANGAR_MAX_UPLOAD_BYTES,
    trustProxy: e.HANGAR_TRUST_PROXY === "1",
    localAgent: e.HANGAR_LOCAL_AGENT === "1",
    metricsToken: e.HANGAR_METRICS_TOKEN ?? null,
    auditPruneMs: e.HANGAR_AUDIT_PRUNE_SECONDS * 1000,
    jobsTickMs: e.HANGAR_JOBS_TICK_MS,
    jobsClockFile: e.HANGAR_JOBS_CLOCK_FILE ?? null,
    oidc: oidcConfig(e),
    dev,
  };
}

function oidcConfig(e: z.output<typeof EnvSchema>): OidcConfig | null {
  if (!e.HANGAR_OIDC_ISSUER) return null;
  const issuer = new URL(e.HANGAR_OIDC_ISSUER);
  // Tokens and the client secret travel to the issuer: plain HTTP only to this machine
  // (a provider beside the server, as in the tests), never across a network.
  if (issuer.protocol !== "https:" && !(issuer.protocol === "http:" && LOOPBACK.has(issuer.hostname)))
    throw new Error("invalid environment: HANGAR_OIDC_ISSUER: must be https:// (http:// only on a loopback address)");
  if (!e.HANGAR_OIDC_CLIENT_ID) throw new Error("invalid environment: HANGAR_OIDC_CLIENT_ID: required when HANGAR_OIDC_ISSUER is set");
  return {
    issuer,
    clientId: e.HANGAR_OIDC_CLIENT_ID,
    clientSecret: e.HANGAR_OIDC_CLIENT_SECRET ?? null,
    groupsClaim: e.HANGAR_OIDC_GROUPS_CLAIM,
    label: e.HANGAR_OIDC_LABEL,
    scopes: e.HANGAR_OIDC_SCOPES.split(/\s+/).includes("openid") ? e.HANGAR_OIDC_SCOPES : `openid ${e.HANGAR_OIDC_SCOPES}`,
    groupMap: parseGroupMap(e.HANGAR_OIDC_GROUP_MAP),
  };
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** "ops=operators, view=viewers" → Map { ops → operators, view → viewers }. */
export function parseGroupMap(raw: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of raw.split(",")) {
    if (!part.trim()) continue;
    const i = part.indexOf("=");
    const claim = part.slice(0, i).trim();
    const group = part.slice(i + 1).trim();
    if (i < 0 || !claim || !group || group.length > 64)
      throw new Error(`invalid environment: HANGAR_OIDC_GROUP_MAP: "${part.trim()}" is not claimValue=groupName (name at most 64 characters)`);
    // One claim value per group and one group per value: Group.oidcClaim holds one value.
    if (out.has(claim)) throw new Error(`invalid environment: HANGAR_OIDC_GROUP_MAP: claim value "${claim}" is mapped twice`);
    if ([...out.values()].includes(group)) throw new Error(`invalid environment: HANGAR_OIDC_GROUP_MAP: group "${group}" is mapped twice`);
    out.set(claim, group);
  }
  return out;
}
