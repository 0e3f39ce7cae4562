// The agent ⇄ server contract. JSON text frames on one websocket that the agent dials.
// Both sides validate every frame with these schemas, strictly: a field the schema does not
// name is refused, not dropped (an agent and a server of different releases find out at
// once, instead of one side silently ignoring what the other meant). An invalid frame gets
// an error reply naming the fields (with the request id when it carried one) and is
// logged, never crashing either side.
import { z } from "zod";
import { describeFields, issueFields } from "./issues";
import { DomainAction, DomainSummary, Uuid } from "./domain";
import { ConsoleKind } from "./console";
import { HostFacts } from "./host";
import { StorageMethods } from "./storage-methods";
import { UploadMethods } from "./upload-methods";
import { NetworkMethods } from "./network-methods";
import { VmCreateMethods } from "./vm-create-methods";
import { VmEditMethods } from "./vm-edit-methods";
import { ImportMethods } from "./import-methods";
import { BackupMethods } from "./backup-methods";
import { MigrationMethods } from "./migration";
import { AgentTarget, MetricSample } from "./metrics";
import {
  ContainerAction,
  ContainerCreateSpec,
  ContainerId,
  ContainerName,
  ContainerStreamKind,
  ContainerSummary,
  EngineInfo,
  ImageRef,
  ImageSummary,
} from "./container";

export const PROTOCOL_VERSION = 1;
/** Largest frame either side accepts. A full inventory of ~2,000 domains fits. */
export const MAX_FRAME_BYTES = 4 * 1024 * 1024;

export const ERROR_CODES = [
  "invalid_message",
  "unknown_method",
  "unsupported_protocol",
  "not_found",
  "invalid_state",
  "conflict",
  "invalid_input",
  "engine_unavailable",
  "engine_error",
  "libvirt_unavailable",
  "libvirt_error",
  "timeout",
  "offline",
  // The server asked the agent to stop the call (a cancelled task) and it did, cleaning up.
  "cancelled",
  "internal",
] as const;
export const ErrorCode = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCode>;
export const RpcError = z.strictObject({ code: ErrorCode, message: z.string().max(4096) });
export type RpcError = z.infer<typeof RpcError>;

// ---- methods the server calls on the agent: noun.verb, params and result ----
export const Methods = {
  "host.facts": { params: z.strictObject({}), result: HostFacts },
  "domain.list": { params: z.strictObject({}), result: z.strictObject({ domains: z.array(DomainSummary) }) },
  "domain.get": { params: z.strictObject({ uuid: Uuid }), result: z.strictObject({ domain: DomainSummary, xml: z.string() }) },
  "domain.action": {
    params: z.strictObject({
      uuid: Uuid,
      action: DomainAction,
      // undefine: also delete the domain's storage volumes; autostart: the new value.
      removeStorage: z.boolean().optional(),
      enabled: z.boolean().optional(),
    }),
    result: z.strictObject({ domain: DomainSummary.nullable() }),
  },
  // Opens a console for a browser: the agent resolves the endpoint from the domain's own
  // XML (never from the caller), then dials /ws/agent-data with the one-time channel token
  // and relays bytes. The agent still listens on no port.
  "console.open": {
    params: z.strictObject({
      uuid: Uuid,
      kind: ConsoleKind,
      channel: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/),
      token: z.string().regex(/^[A-Za-z0-9_-]{32,128}$/),
    }),
    result: z.strictObject({ endpoint: z.string().max(512) }),
  },
  // The set of targets someone is watching live: the agent streams those every second and
  // everything else only at the coarse history interval. Replaces the previous set.
  "metrics.watch": { params: z.strictObject({ targets: z.array(AgentTarget).max(20_000) }), result: z.strictObject({ watching: z.number().int() }) },
  // Provisioning areas keep their methods in their own files (one per area, so each stays small).
  ...StorageMethods,
  ...UploadMethods,
  ...NetworkMethods,
  ...VmCreateMethods,
  ...VmEditMethods,
  ...ImportMethods,
  ...BackupMethods,
  ...MigrationMethods,
  // ---- containers (Docker Engine API: Podman or Docker) ----
  "container.list": { params: z.strictObject({}), result: z.strictObject({ engine: EngineInfo.nullable(), containers: z.array(ContainerSummary) }) },
  "container.inspect": {
    params: z.strictObject({ id: ContainerId }),
    result: z.strictObject({ container: ContainerSummary, inspect: z.record(z.string(), z.unknown()) }),
  },
  "container.action": {
    params: z.strictObject({ id: ContainerId, action: ContainerAction, force: z.boolean().optional() }),
    result: z.strictObject({ container: ContainerSummary.nullable() }),
  },
  "container.rename": { params: z.strictObject({ id: ContainerId, name: ContainerName }), result: z.strictObject({ container: ContainerSummary }) },
  "container.create": { params: z.strictObject({ spec: ContainerCreateSpec }), result: z.strictObject({ container: ContainerSummary }) },
  "container.logs": {
    params: z.strictObject({ id: ContainerId, tail: z.number().int().min(1).max(100_000), timestamps: z.boolean() }),
    result: z.strictObject({ text: z.string(), truncated: z.boolean() }),
  },
  // Like console.open: the agent dials /ws/agent-data with the channel token, then relays an
  // exec session (a TTY) or a live log stream over it.
  "container.attach": {
    params: z.strictObject({
      id: ContainerId,
      kind: ContainerStreamKind,
      channel: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/),
      token: z.string().regex(/^[A-Za-z0-9_-]{32,128}$/),
      cols: z.number().int().min(1).max(1000).optional(),
      rows: z.number().int().min(1).max(1000).optional(),
      cmd: z.array(z.string().max(1024)).min(1).max(32).optional(),
    }),
    result: z.strictObject({ endpoint: z.string().max(512) }),
  },
  "container.resize": {
    params: z.strictObject({
      channel: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/),
      cols: z.number().int().min(1).max(1000),
      rows: z.number().int().min(1).max(1000),
    }),
    result: z.strictObject({}),
  },
  "image.list": { params: z.strictObject({}), result: z.strictObject({ images: z.array(ImageSummary) }) },
  "image.remove": { params: z.strictObject({ id: z.string().min(1).max(256), force: z.boolean().optional() }), result: z.strictObject({}) },
  "image.pull": { params: z.strictObject({ ref: ImageRef }), result: z.strictObject({ image: z.string() }) },
  // The tar arrives over a data connection the agent dials with the channel token.
  // mode "load": an archive from `docker save`/`podman save`; "import": a root file system
  // tar that becomes image `name`.
  "image.load": {
    params: z.strictObject({
      channel: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/),
      token: z.string().regex(/^[A-Za-z0-9_-]{32,128}$/),
      mode: z.enum(["load", "import"]),
      name: ImageRef.optional(),
    }),
    result: z.strictObject({ images: z.array(z.string()) }),
  },
  // The agent's own view of itself (what it streams, what it costs), for admins and tests.
  "agent.stats": {
    params: z.strictObject({}),
    result: z.strictObject({
      watched: z.array(z.string()),
      ticks: z.number().int(),
      fineSamples: z.number().int(),
      coarseSamples: z.number().int(),
      lastTickMs: z.number(),
      rssBytes: z.number(),
      cpuSeconds: z.number(),
    }),
  },
} as const;
export type MethodName = keyof typeof Methods;
export type MethodParams<M extends MethodName> = z.infer<(typeof Methods)[M]["params"]>;
export type MethodResult<M extends MethodName> = z.infer<(typeof Methods)[M]["result"]>;
export const METHOD_NAMES = Object.keys(Methods) as MethodName[];

// ---- agent → server events (pushed, never polled) ----
export const AgentEvent = z.discriminatedUnion("kind", [
  // Full state: sent after (re)connecting to the server or to libvirtd.
  z.strictObject({ kind: z.literal("domain.inventory"), domains: z.array(DomainSummary) }),
  // A domain changed (lifecycle, reboot, device, autostart…): its fresh summary.
  z.strictObject({ kind: z.literal("domain.changed"), cause: z.string().max(64), domain: DomainSummary }),
  z.strictObject({ kind: z.literal("domain.removed"), uuid: Uuid, name: z.string().max(256) }),
  z.strictObject({ kind: z.literal("libvirt.status"), connected: z.boolean(), error: z.string().max(4096).nullable() }),
  // A storage pool or virtual network changed (libvirt's lifecycle or pool-refresh event,
  // whoever made the change): the host's pool or network list is out of date.
  z.strictObject({ kind: z.literal("pool.changed"), pool: z.string().max(256), cause: z.string().max(64) }),
  z.strictObject({ kind: z.literal("network.changed"), network: z.string().max(256), cause: z.string().max(64) }),
  z.strictObject({ kind: z.literal("container.inventory"), engine: EngineInfo.nullable(), containers: z.array(ContainerSummary) }),
  z.strictObject({ kind: z.literal("container.changed"), cause: z.string().max(64), container: ContainerSummary }),
  z.strictObject({ kind: z.literal("container.removed"), id: ContainerId, name: z.string().max(256) }),
  z.strictObject({ kind: z.literal("engine.status"), connected: z.boolean(), engine: EngineInfo.nullable(), error: z.string().max(4096).nullable() }),
  // One sampling tick. `coarse` ticks carry every target (kept as history); the others
  // carry only the watched ones.
  z.strictObject({ kind: z.literal("metrics.samples"), coarse: z.boolean(), samples: z.array(MetricSample).max(20_000) }),
]);
export type AgentEvent = z.infer<typeof AgentEvent>;

// ---- frames ----
export const AgentHello = z.strictObject({
  type: z.literal("hello"),
  protocol: z.number().int(),
  agentVersion: z.string().max(64),
  facts: HostFacts,
});

const Response = z.discriminatedUnion("ok", [
  z.strictObject({ type: z.literal("res"), id: z.number().int().nonnegative(), ok: z.literal(true), result: z.unknown() }),
  z.strictObject({ type: z.literal("res"), id: z.number().int().nonnegative(), ok: z.literal(false), error: RpcError }),
]);

export const AgentFrame = z.discriminatedUnion("type", [
  AgentHello,
  Response,
  z.strictObject({ type: z.literal("event"), at: z.number(), event: AgentEvent }),
  // How far a call still running is (e.g. percent of a qemu-img convert: total 100), at
  // most every 250 ms; the answer follows as usual.
  z.strictObject({
    type: z.literal("progress"),
    id: z.number().int().nonnegative(),
    done: z.number().nonnegative(),
    total: z.number().nonnegative().nullable(),
  }),
  z.strictObject({ type: z.literal("error"), error: RpcError }),
]);
export type AgentFrame = z.infer<typeof AgentFrame>;

export const ServerFrame = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("welcome"), protocol: z.number().int(), hostId: z.string().max(64), serverTime: z.number() }),
  z.strictObject({ type: z.literal("req"), id: z.number().int().nonnegative(), method: z.string().max(64), params: z.unknown() }),
  // Stop call `id` (its task was cancelled): the agent aborts it, cleans up, and answers it
  // with error "cancelled" (or with its result, when it had already finished).
  z.strictObject({ type: z.literal("cancel"), id: z.number().int().nonnegative() }),
  z.strictObject({ type: z.literal("error"), error: RpcError }),
]);
export type ServerFrame = z.infer<typeof ServerFrame>;

/** Parses one frame; on failure returns the error to send back (with the id when found). */
export function parseFrame<T extends z.ZodType>(
  schema: T,
  raw: string | Buffer,
): { ok: true; frame: z.infer<T> } | { ok: false; id: number | null; error: RpcError } {
  const text = typeof raw === "string" ? raw : raw.toString("utf8");
  if (text.length > MAX_FRAME_BYTES)
    return { ok: false, id: null, error: { code: "invalid_message", message: `frame over ${MAX_FRAME_BYTES} bytes` } };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, id: null, error: { code: "invalid_message", message: "frame is not JSON" } };
  }
  const r = schema.safeParse(json);
  if (r.success) return { ok: true, frame: r.data };
  const id = typeof json === "object" && json && typeof (json as { id?: unknown }).id === "number" ? (json as { id: number }).id : null;
  return { ok: false, id, error: { code: "invalid_message", message: invalidMessage("invalid frame", r.error) } };
}

/** "what: field: reason; …", short enough for an RpcError (a frame of 10,000 unknown keys must not make a longer error). */
export function invalidMessage(what: string, error: z.ZodError): string {
  const text = `${what}: ${describeFields(issueFields(error, "(root)"))}`;
  return text.length > 1000 ? `${text.slice(0, 999)}…` : text;
}
