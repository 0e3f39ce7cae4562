// Hangar's server process: one port for Next (pages and API routes) and the three
// websocket paths. Start: `node dist/server.js` (or `tsx server/web/main.ts --dev`).
import http from "node:http";
import os from "node:os";
import next from "next";
import { loadConfig } from "./config";
import { createDb } from "./db/client";
import { migrate } from "./db/migrate";
import { FailureLimiter } from "./auth/rate-limit";
import { SessionService } from "./auth/sessions";
import { SetupTokens } from "./auth/setup-token";
import { ApiTokenService } from "./auth/api-tokens";
import { TotpService } from "./auth/totp";
import { AccessService } from "./auth/access";
import { OidcService } from "./auth/oidc";
import { applyGroupMap } from "./auth/oidc-groups";
import { setServices, type Services } from "./services";
import { SocketRegistry } from "./ws/socket-registry";
import { createUpgradeHandler } from "./ws/upgrade";
import { eventsRoute } from "./ws/events-socket";
import { agentRoute } from "./ws/agent-socket";
import { consoleRoute } from "./ws/console-socket";
import { agentDataRoute } from "./ws/agent-data-socket";
import { InternalStreams } from "./cluster/internal-sockets";
import { INTERNAL_STREAM_PATH } from "./cluster/stream-request";
import { ConsoleBroker } from "./consoles/broker";
import { watchConsoleRights } from "./consoles/rights-watch";
import { ConsoleRelay } from "./console-relay/relay-process";
import { ConsoleTickets } from "./consoles/tickets";
import { MetricsService } from "./metrics/metrics-service";
import { LeaseCache } from "./search/lease-cache";
import { EventBus } from "./events/bus";
import { ClusterBus } from "./cluster/cluster-bus";
import { EventRelay } from "./cluster/event-relay";
import { ServerRegistry } from "./cluster/server-registry";
import { startCalls } from "./cluster/start-calls";
import { isPostgresUrl } from "./db/url";
import { answerHealth, HEALTH_PATHS } from "./http/health";
import { AgentHub } from "./agents/hub";
import { TaskService } from "./tasks/task-service";
import { startLocalAgent, type LocalAgent } from "./agents/local-agent";
import { setSecurityHeaders } from "./http/security-headers";
import { CLIENT_IP_HEADER } from "./http/route";
import { lingerOnClose } from "./http/lingering-close";
import { REQUEST_PATH_HEADER } from "./http/request-path";
import { startCpuProfile } from "./dev/cpu-profile";
import { startAuditPruneJob } from "./audit-prune-job";
import { Alerting } from "./alerts/alerting";
import { JobScheduler } from "./jobs/scheduler";
import { jobsClock } from "./jobs/clock";

const started = Date.now();
const dev = process.argv.includes("--dev");
const root = process.env.HANGAR_ROOT ?? process.cwd();

async function main(): Promise<void> {
  const stopProfile = startCpuProfile(process.env.HANGAR_CPU_PROFILE);
  const config = loadConfig(process.env, dev);
  const m = await migrate(config.databaseUrl, root);
  if (m.applied.length) console.log(`[hangar] applied migrations: ${m.applied.join(", ")}`);
  const db = createDb(config.databaseUrl);
  const sessions = new SessionService(db, { idleMs: config.sessionIdleMs, maxMs: config.sessionMaxMs });
  // On PostgreSQL other servers may share the database: events cross through it (decision 0005).
  const bus = isPostgresUrl(config.databaseUrl) ? new ClusterBus() : new EventBus();
  const events = bus instanceof ClusterBus ? await EventRelay.start(config.databaseUrl, bus, db) : null;
  const hub = new AgentHub(db, bus);
  const metrics = new MetricsService(db, hub, bus);
  await metrics.start();
  // A server bound to one address is reached there; one on every address by its host name.
  const reachable = config.host === "0.0.0.0" || config.host === "::" ? os.hostname() : config.host;
  const peers = events ? new ServerRegistry(db, events.serverId, config.internalUrl ?? `http://${reachable}:${config.port}`) : null;
  await peers?.start();
  const tasks = new TaskService(db, bus, hub, config.actionTimeoutMs, peers);
  // Hosts held by peers: mirrored inventory, calls, cancels and metric demand over one hop (decision 0005).
  const calls = await startCalls({ config, db, bus, hub, events, peers, metrics, tasks });
  peers?.onDead((ids, hostIds) => {
    void tasks.serversDead(ids).catch((err: unknown) => console.error("[tasks] settling a dead server's tasks failed:", err));
    // Browsers refetch those hosts: their agents are gone until they reconnect somewhere.
    for (const hostId of hostIds) bus.publish({ type: "host.changed", hostId });
  });
  const settled = await tasks.start();
  if (settled) console.log(`[hangar] ${settled} task(s) left running by the last run are unknown until their agents report`);
  // Everything that follows what agents report is wired here, once.
  hub.on("metrics", (hostId, coarse, samples) => metrics.ingest(hostId, coarse, samples));
  hub.on("online", (hostId) => metrics.hostOnline(hostId));
  hub.on("online", (hostId) => void peers?.hold(hostId).catch((err: unknown) => console.error("[cluster] presence write failed:", err)));
  hub.on("offline", (hostId) => void peers?.release(hostId).catch((err: unknown) => console.error("[cluster] presence removal failed:", err)));
  hub.on("offline", (hostId) => void tasks.hostOffline(hostId));
  hub.on("domains", (hostId, domains) => void tasks.reconcile(hostId, { domains }));
  hub.on("containers", (hostId, containers) => void tasks.reconcile(hostId, { containers }));
  const relay = ConsoleRelay.forRoot(root, dev);
  await relay.start();
  const localUrl = `http://127.0.0.1:${config.port}`;
  const totp = new TotpService(db, { maxFailures: config.loginMaxFailures, windowMs: config.loginWindowMs });
  await totp.load();
  if (config.oidc) await applyGroupMap(db, config.oidc.groupMap);
  const access = new AccessService(db);
  await access.start();
  hub.useTags((type, hostId, id) => access.tagsOf({ type, hostId, id }));
  const baseUrl = config.publicUrl?.origin ?? localUrl;
  const alerts = new Alerting(db, bus, access, baseUrl);
  await alerts.start();
  hub.on("metrics", (hostId, _coarse, samples) => alerts.engine.onMetrics(hostId, samples));
  hub.on("online", (hostId) => void alerts.hostOnline(hostId));
  const svc: Services = {
    config,
    db,
    sessions,
    setup: new SetupTokens(config.setupTokenMs),
    loginByAccount: new FailureLimiter(db, "login-account", config.loginMaxFailures, config.loginWindowMs),
    loginByAddress: new FailureLimiter(db, "login-address", config.loginMaxFailures * 4, config.loginWindowMs),
    apiTokens: new ApiTokenService(db, access),
    access,
    oidc: config.oidc ? new OidcService(config.oidc, baseUrl) : null,
    totp,
    sockets: new SocketRegistry(config.wsPingMs, (id) => sessions.isAlive(id)),
    bus,
    hub,
    tasks,
    consoles: new ConsoleBroker(hub, bus, relay),
    consoleTickets: new ConsoleTickets(db, config.consoleTicketMs),
    metrics,
    jobs: new JobScheduler(() => svc, jobsClock(config.jobsClockFile ?? undefined), config.jobsTickMs),
    leases: new LeaseCache(hub),
    alerts,
    peers,
    baseUrl,
    startedAt: started,
  };
  sessions.onRevoke((ids) => svc.sockets.closeSessions(ids, "session revoked"));
  // Rights withdrawn (here or by another process): consoles, logs and exec no longer allowed close.
  watchConsoleRights(access, svc.consoles);
  const stopAuditPrune = startAuditPruneJob(db, config.auditPruneMs);
  setServices(svc);

  const app = next({ dev, dir: root, hostname: "localhost", port: config.port });
  // Next's request handler attaches its own 'upgrade' listener to our server on the first
  // request. In production every upgrade is ours (Origin, auth, then one of our paths), so
  // it must not see them; in development it serves its HMR socket (/_next/…) and our
  // handler leaves those paths alone.
  if (!dev) (app as unknown as { didWebSocketSetup: boolean }).didWebSocketSetup = true;
  const handle = app.getRequestHandler();
  await app.prepare();

  // Consoles, shells and uploads a peer server relays to the agents connected here.
  const internalStreams = new InternalStreams(svc);
  const health = { db, migrations: m.total, consoleRelay: () => relay.available, events: events ? () => events.listening : null };
  const server = http.createServer((req, res) => {
    // The client address comes from the socket (or a trusted proxy), never from a header
    // the client chose.
    const fwd = config.trustProxy
      ? String(req.headers["x-forwarded-for"] ?? "")
          .split(",")[0]
          ?.trim()
      : "";
    req.headers[CLIENT_IP_HEADER] = fwd || req.socket.remoteAddress || "";
    // Where a signed-out visitor was going, for the sign-in page's ?next=.
    req.headers[REQUEST_PATH_HEADER] = req.url ?? "/";
    setSecurityHeaders(req, res, dev, config.secureCookies);
    if (HEALTH_PATHS.has((req.url ?? "").split("?")[0]!)) return void answerHealth(req, res, health);
    if (internalStreams.handles((req.url ?? "").split("?")[0]!)) return void internalStreams.handle(req, res);
    if (calls.routes.handle(req, res)) return;
    void handle(req, res);
  });
  const upgrades = createUpgradeHandler(
    svc,
    {
      "/ws/events": eventsRoute(svc),
      "/ws/console": consoleRoute(svc),
      "/ws/agent": agentRoute(svc),
      "/ws/agent-data": agentDataRoute(svc),
      [INTERNAL_STREAM_PATH]: internalStreams.route(),
    },
    dev ? () => undefined : undefined,
  );
  server.on("upgrade", upgrades.handler);
  // A refused body's sender reads the 413 instead of a reset (see http/body.ts).
  lingerOnClose(server);

  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
  const shown = config.host === "0.0.0.0" || config.host === "::" ? "localhost" : config.host;
  const base = config.publicUrl?.origin ?? `http://${shown}:${config.port}`;
  console.log(`[hangar] listening on ${base} (${dev ? "development" : "production"}, ${Date.now() - started} ms)`);

  let localAgent: LocalAgent | null = null;
  if (config.localAgent) localAgent = await startLocalAgent(db, { serverUrl: localUrl, root });
  // After listening: a slot missed while we were down runs once now, for hosts already back.
  svc.jobs.start();

  if ((await db.user.count()) === 0) {
    const token = svc.setup.issue();
    console.log(`[hangar] no user yet: create the first admin within ${Math.round(config.setupTokenMs / 60000)} min at`);
    console.log(`[hangar] setup URL: ${base}/setup?token=${token}`);
  }

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`[hangar] ${signal}: shutting down`);
    // History still in memory is written before the database closes.
    void stopProfile?.();
    const flushed = metrics.stop().catch((err: unknown) => console.error("[hangar] metric history flush failed:", err));
    const finish = () =>
      void flushed
        .then(() => peers?.stop())
        .then(() => events?.stop())
        .then(() => db.$disconnect())
        .finally(() => process.exit(0));
    server.close(finish);
    void localAgent?.stop();
    hub.close();
    calls.stop();
    tasks.stop();
    alerts.stop();
    svc.jobs.stop();
    access.stop();
    stopAuditPrune();
    svc.sockets.closeAll();
    upgrades.close();
    // Close frames ordered just now get a moment to go out; then the relay process exits.
    void relay.stop(200);
    server.closeIdleConnections();
    // In-flight requests get 10 s to finish; then the remaining connections are cut.
    setTimeout(() => {
      server.closeAllConnections();
      finish();
    }, 10_000).unref();
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
}

main().catch((err: unknown) => {
  console.error("[hangar] failed to start:", err instanceof Error ? err.message : err);
  process.exit(1);
});
