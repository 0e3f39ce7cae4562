// The agent's answers to the server's calls: ONE table, one handler per `noun.verb` method,
// typed by the protocol's own zod schemas. A method added to server/protocol/ without a
// handler here, a handler reading a param the schema does not have (or of another type),
// or one answering another shape fails `npm run typecheck`: zod has checked the params
// before a handler runs, so no handler re-casts them.
import type { z } from "zod";
import { Methods as MethodSchemas, type HostFacts, type MethodName, type RpcError } from "../protocol";
import { openConsole, openKubevirtConsole } from "./consoles";
import type { KubevirtDriver } from "./drivers/kubevirt/kubevirt-driver";
import { DriverError, type ContainerEngineDriver, type HypervisorDriver } from "./drivers/driver";
import type { ContainerStreams } from "./drivers/containers/container-streams";
import type { MetricsStreamer } from "./metrics/metrics-streamer";
import type { SerialHub } from "./serial-hub";
import { storageHandlers } from "./handlers/storage";
import { uploadHandlers } from "./handlers/upload";
import { networkHandlers } from "./handlers/network";
import { vmCreateHandlers } from "./handlers/vm-create";
import { vmEditHandlers } from "./handlers/vm-edit";
import { importHandlers } from "./handlers/import";
import { backupHandlers } from "./handlers/backup";
import { migrationHandlers } from "./handlers/migration";

type SchemaMap = Record<string, { params: z.ZodType; result: z.ZodType }>;
/** method name → { params, result } as zod hands them over (defaults applied). */
export type MethodsOf<S extends SchemaMap> = { [M in keyof S]: { params: z.output<S[M]["params"]>; result: z.output<S[M]["result"]> } };
export type Methods = MethodsOf<typeof MethodSchemas>;
export type Params<M extends MethodName> = Methods[M]["params"];
export type Result<M extends MethodName> = Methods[M]["result"];

/** What handlers work with: the drivers and the agent's own parts. */
export interface AgentContext {
  facts: () => Promise<HostFacts>;
  hypervisor: HypervisorDriver;
  /** The KubeVirt engine (also routed to through `hypervisor`), for its VNC stream; null when off. */
  kubevirt?: KubevirtDriver | null;
  /** Null when this agent manages no container engine. */
  containers: { driver: ContainerEngineDriver; streams: ContainerStreams } | null;
  metrics: MetricsStreamer | null;
  serial: SerialHub;
  serverUrl: string;
  credential: string;
}

/**
 * One call while it runs: `signal` aborts when the server cancels it (the handler stops its
 * work and cleans up), `progress` reports how far it is (sent to the server, throttled).
 */
export interface CallScope {
  signal: AbortSignal;
  progress(done: number, total: number | null): void;
}

/** For calls made outside a server link (tests, tools): never cancelled, progress dropped. */
export const NO_SCOPE: CallScope = { signal: new AbortController().signal, progress: () => undefined };

/** Generic over the method map so a test can check the table against a changed protocol. */
export type HandlerTableOf<T extends Record<string, { params: unknown; result: unknown }>> = {
  [M in keyof T]: (params: T[M]["params"], ctx: AgentContext, call: CallScope) => Promise<T[M]["result"]>;
};
export type HandlerTable = HandlerTableOf<Methods>;

export type AgentReply = { ok: true; result: unknown } | { ok: false; error: RpcError };

function containers(c: AgentContext): NonNullable<AgentContext["containers"]> {
  if (!c.containers) throw new DriverError("engine_unavailable", "this agent manages no container engine");
  return c.containers;
}

export const handlers: HandlerTable = {
  "host.facts": (_p, c) => c.facts(),
  "domain.list": async (_p, c) => ({ domains: await c.hypervisor.listDomains() }),
  "domain.get": (p, c) => c.hypervisor.getDomain(p.uuid),
  "domain.action": async (p, c) => ({
    domain: await c.hypervisor.domainAction(p.uuid, p.action, { removeStorage: p.removeStorage, enabled: p.enabled }),
  }),
  ...storageHandlers,
  ...uploadHandlers,
  ...networkHandlers,
  ...vmCreateHandlers,
  ...vmEditHandlers,
  ...importHandlers,
  ...backupHandlers,
  ...migrationHandlers,
  "console.open": async (p, c) => {
    const { domain } = await c.hypervisor.getDomain(p.uuid);
    if (domain.engine === "kubevirt" && c.kubevirt) return openKubevirtConsole(c.serverUrl, c.credential, domain, p, c.kubevirt);
    return openConsole(c.serverUrl, c.credential, domain, p, c.serial);
  },
  "metrics.watch": async (p, c) => ({ watching: c.metrics?.watch(p.targets) ?? 0 }),
  "agent.stats": async (_p, c) => {
    const m = c.metrics?.snapshot() ?? { watched: [], ticks: 0, fineSamples: 0, coarseSamples: 0, lastTickMs: 0 };
    const cpu = process.cpuUsage();
    return { ...m, rssBytes: process.memoryUsage.rss(), cpuSeconds: (cpu.user + cpu.system) / 1e6 };
  },
  "container.list": async (_p, c) => {
    const d = containers(c).driver;
    return d.connected ? { engine: d.engine, containers: await d.list() } : { engine: null, containers: [] };
  },
  "container.inspect": async (p, c) => containers(c).driver.inspect(p.id),
  "container.action": async (p, c) => ({ container: await containers(c).driver.action(p.id, p.action, p.force) }),
  "container.rename": async (p, c) => ({ container: await containers(c).driver.rename(p.id, p.name) }),
  "container.create": async (p, c) => ({ container: await containers(c).driver.create(p.spec) }),
  "container.logs": async (p, c) => containers(c).driver.logs(p.id, p.tail, p.timestamps),
  "container.attach": async (p, c) => {
    const { driver, streams } = containers(c);
    const ch = { channel: p.channel, token: p.token };
    return {
      endpoint:
        p.kind === "exec"
          ? await streams.exec(driver.need(), p.id, ch, p.cmd ?? ["/bin/sh"], p.cols, p.rows)
          : await streams.logs(driver.need(), p.id, ch),
    };
  },
  "container.resize": async (p, c) => {
    await containers(c).streams.resize(p.channel, p.cols, p.rows);
    return {};
  },
  "image.list": async (_p, c) => ({ images: await containers(c).driver.images() }),
  "image.remove": async (p, c) => {
    await containers(c).driver.removeImage(p.id, p.force);
    return {};
  },
  "image.pull": async (p, c) => ({ image: await containers(c).driver.pull(p.ref) }),
  "image.load": async (p, c) => {
    const { driver, streams } = containers(c);
    return { images: await streams.loadImage(driver.need(), { channel: p.channel, token: p.token }, p.mode, p.name) };
  },
};

function isMethod(name: string): name is MethodName {
  // Own keys only: "toString" or "constructor" are on every object's prototype.
  return Object.hasOwn(MethodSchemas, name);
}

async function call<M extends MethodName>(method: M, raw: unknown, ctx: AgentContext, scope: CallScope): Promise<AgentReply> {
  const p = MethodSchemas[method].params.safeParse(raw);
  if (!p.success)
    return {
      ok: false,
      error: { code: "invalid_message", message: `invalid params for ${method}: ${p.error.issues[0]?.path.join(".")} ${p.error.issues[0]?.message}` },
    };
  // The one place a runtime name meets the table: zod just checked the params against
  // this method's schema, which TypeScript cannot follow through the lookup by name.
  const params = p.data as Params<M>;
  const handler: HandlerTable[M] = handlers[method];
  return { ok: true, result: await handler(params, ctx, scope) };
}

/**
 * Answers one call from the server: unknown methods and invalid params are refused, driver
 * errors keep their code, and a call that failed after the server cancelled it is "cancelled".
 */
export async function dispatch(method: string, raw: unknown, ctx: AgentContext, scope: CallScope = NO_SCOPE): Promise<AgentReply> {
  if (!isMethod(method)) return { ok: false, error: { code: "unknown_method", message: `unknown method ${method}` } };
  try {
    return await call(method, raw, ctx, scope);
  } catch (err) {
    if (scope.signal.aborted) return { ok: false, error: { code: "cancelled", message: `${method} was cancelled; what it had written is removed` } };
    return {
      ok: false,
      error:
        err instanceof DriverError ? { code: err.code, message: err.message } : { code: "internal", message: (err as Error).message ?? String(err) },
    };
  }
}
