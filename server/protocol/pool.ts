// Storage pools as Hangar shows them: one row per libvirt pool of a host, shared by agent,
// server and browser. Sizes are bytes as JSON numbers: exact up to 8 PiB, far past any pool.
import { z } from "zod";

export const POOL_STATES = ["inactive", "building", "running", "degraded", "inaccessible"] as const;
export const PoolState = z.enum(POOL_STATES);
export type PoolState = z.infer<typeof PoolState>;

const Bytes = z.number().int().nonnegative();

export const PoolSummary = z.strictObject({
  name: z.string().min(1).max(256),
  uuid: z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, "a lowercase UUID"),
  /** The pool's type attribute (dir, logical, netfs…). */
  type: z.string().max(32),
  state: PoolState,
  autostart: z.boolean(),
  persistent: z.boolean(),
  capacity: Bytes,
  allocation: Bytes,
  available: Bytes,
  /** The pool's target path (null for pools without one, e.g. rbd). */
  path: z.string().max(4096).nullable(),
  /** Null while the pool is inactive: libvirt lists volumes of active pools only. */
  volumes: z.number().int().nonnegative().nullable(),
});
export type PoolSummary = z.infer<typeof PoolSummary>;

/** What a new pool may be called: libvirt allows more, but this name also becomes part of URLs and file names. */
export const PoolName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, "1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");

/** A directory on the host: absolute, no '..' segment, no control characters. */
export const PoolPath = z
  .string()
  .max(4096)
  .regex(/^\//, "an absolute path")
  // eslint-disable-next-line no-control-regex
  .refine((p) => !/[\u0000-\u001f\u007f]/.test(p), "no control characters")
  .refine((p) => !p.split("/").includes(".."), "no '..' segment");

/** start builds the directory when missing; refresh rescans it (files copied in become volumes). */
export const POOL_ACTIONS = ["start", "stop", "refresh"] as const;
export const PoolAction = z.enum(POOL_ACTIONS);
export type PoolAction = z.infer<typeof PoolAction>;
