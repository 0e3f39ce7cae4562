// The server's long-lived objects. The custom server builds them once; Next's route
// handlers and server components are bundled separately by Next, so they reach the same
// instances through this registry on globalThis rather than through module state. This
// is the one way to reach them; the verbs routes call are in ./services/ and take them as `svc`.
import type { Config } from "./config";
import type { Db } from "./db/client";
import type { FailureLimiter } from "./auth/rate-limit";
import type { SessionService } from "./auth/sessions";
import type { SetupTokens } from "./auth/setup-token";
import type { ApiTokenService } from "./auth/api-tokens";
import type { TotpService } from "./auth/totp";
import type { SocketRegistry } from "./ws/socket-registry";
import type { EventBus } from "./events/bus";
import type { AgentHub } from "./agents/hub";
import type { TaskService } from "./tasks/task-service";
import type { ConsoleBroker } from "./consoles/broker";
import type { ConsoleTickets } from "./consoles/tickets";
import type { MetricsService } from "./metrics/metrics-service";
import type { AccessService } from "./auth/access";
import type { OidcService } from "./auth/oidc";
import type { JobScheduler } from "./jobs/scheduler";
import type { LeaseCache } from "./search/lease-cache";
import type { Alerting } from "./alerts/alerting";
import type { ServerRegistry } from "./cluster/server-registry";

export interface Services {
  config: Config;
  db: Db;
  sessions: SessionService;
  setup: SetupTokens;
  loginByAccount: FailureLimiter;
  loginByAddress: FailureLimiter;
  apiTokens: ApiTokenService;
  /** Second factor: sign-in challenges, wrong-code throttle, the enrolment policy. */
  totp: TotpService;
  /** Scoped rights: who may do what on which host, VM, container or tag (auth/access.ts). */
  access: AccessService;
  /** OIDC sign-in; null when HANGAR_OIDC_ISSUER is unset. */
  oidc: OidcService | null;
  sockets: SocketRegistry;
  bus: EventBus;
  hub: AgentHub;
  tasks: TaskService;
  consoles: ConsoleBroker;
  consoleTickets: ConsoleTickets;
  metrics: MetricsService;
  /** Scheduled snapshots and backups (jobs/scheduler.ts). */
  jobs: JobScheduler;
  /** Guest addresses from DHCP leases, for the command palette's search by IP. */
  leases: LeaseCache;
  /** Alert rules, their evaluation and the notification queue (alerts/). */
  alerts: Alerting;
  /** The other servers on this database and which holds each agent; null without peers (SQLite). */
  peers: ServerRegistry | null;
  /** The origin agents and browsers use to reach this server (for enrollment commands). */
  baseUrl: string;
  startedAt: number;
}

const KEY = Symbol.for("hangar.services");
type Holder = { [KEY]?: Services };

export function setServices(s: Services): void {
  (globalThis as Holder)[KEY] = s;
}

export function services(): Services {
  const s = (globalThis as Holder)[KEY];
  if (!s) throw new Error("Hangar services are not initialised: start the server with `npm start` (server/web/main.ts)");
  return s;
}
