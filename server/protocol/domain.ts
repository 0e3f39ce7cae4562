// What Hangar knows about one libvirt domain: the inventory row shared by agent, server
// and browser.
import { z } from "zod";

export const DOMAIN_STATES = ["nostate", "running", "blocked", "paused", "shutdown", "shutoff", "crashed", "pmsuspended"] as const;
export const DomainState = z.enum(DOMAIN_STATES);
export type DomainState = z.infer<typeof DomainState>;

export const Uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, "a lowercase UUID");

export const GraphicsDevice = z.strictObject({
  type: z.string().max(32),
  port: z.number().int().nullable(),
  listen: z.string().max(256).nullable(),
  socket: z.string().max(4096).nullable(),
});

export const SerialDevice = z.strictObject({
  type: z.string().max(32),
  path: z.string().max(4096).nullable(),
  target: z.string().max(64).nullable(),
});

export const DiskDevice = z.strictObject({
  target: z.string().max(64),
  device: z.string().max(32),
  bus: z.string().max(32).nullable(),
  source: z.string().max(4096).nullable(),
  format: z.string().max(32).nullable(),
});

export const NicDevice = z.strictObject({
  mac: z.string().max(32).nullable(),
  type: z.string().max(32),
  source: z.string().max(256).nullable(),
  model: z.string().max(64).nullable(),
});

/** Which engine on the agent runs the machine: libvirt on the host, or KubeVirt in a cluster. */
export const DOMAIN_ENGINES = ["libvirt", "kubevirt"] as const;
export const DomainEngine = z.enum(DOMAIN_ENGINES);
export type DomainEngine = z.infer<typeof DomainEngine>;

export const DomainSummary = z.strictObject({
  uuid: Uuid,
  // Defaults to libvirt so that agents from before KubeVirt still validate.
  engine: DomainEngine.default("libvirt"),
  name: z.string().min(1).max(256),
  id: z.number().int(), // -1 when not running
  state: DomainState,
  stateReason: z.number().int(),
  vcpus: z.number().int().nonnegative(),
  memoryKiB: z.number().nonnegative(),
  maxMemoryKiB: z.number().nonnegative(),
  autostart: z.boolean(),
  persistent: z.boolean(),
  virtType: z.string().max(32),
  osType: z.string().max(32),
  graphics: z.array(GraphicsDevice).max(16),
  serials: z.array(SerialDevice).max(16),
  disks: z.array(DiskDevice).max(256),
  nics: z.array(NicDevice).max(256),
});
export type DomainSummary = z.infer<typeof DomainSummary>;

export const DOMAIN_ACTIONS = ["start", "shutdown", "reboot", "destroy", "reset", "suspend", "resume", "undefine", "autostart"] as const;
export const DomainAction = z.enum(DOMAIN_ACTIONS);
export type DomainAction = z.infer<typeof DomainAction>;

/** The state a successful action leaves the domain in ("gone" when it no longer exists). */
export const ACTION_RESULT_STATE: Record<DomainAction, DomainState | "gone" | null> = {
  start: "running",
  shutdown: "shutoff",
  reboot: "running",
  destroy: "shutoff",
  reset: "running",
  suspend: "paused",
  resume: "running",
  undefine: "gone",
  autostart: null,
};
