// Storage volumes as Hangar shows them: one row per volume of an active pool, shared by
// agent, server and browser. Sizes are bytes as JSON numbers (exact up to 8 PiB).
import { z } from "zod";

export const VOLUME_FORMATS = ["qcow2", "raw", "iso", "unknown"] as const;
export const VolumeFormat = z.enum(VOLUME_FORMATS);
export type VolumeFormat = z.infer<typeof VolumeFormat>;

/** What Hangar creates: qcow2 (thin, snapshots) or raw (fastest, no features). */
export const CREATE_FORMATS = ["qcow2", "raw"] as const;
export const CreateFormat = z.enum(CREATE_FORMATS);
export type CreateFormat = z.infer<typeof CreateFormat>;

/**
 * A volume name: it becomes a file name inside the pool's directory and part of URLs, so
 * no '/', no '..' (even inside: a name that looks like a path segment confuses people and
 * tools), no control characters, at most 200 characters.
 */
export const VolumeName = z
  .string()
  .min(1, "a name")
  .max(200, "at most 200 characters")
  // eslint-disable-next-line no-control-regex
  .refine((n) => !/[\u0000-\u001f\u007f]/.test(n), "no control characters")
  .refine((n) => !n.includes("/"), "no '/'")
  .refine((n) => !n.includes(".."), "no '..'")
  .refine((n) => n !== "." && n.trim() === n, "not '.', no leading or trailing spaces");

/** Bytes the guest sees: at least one, below 2^53 so a JSON number stays exact. */
export const VolumeCapacity = z.number().int().min(1, "at least 1 byte").max(Number.MAX_SAFE_INTEGER);

const Bytes = z.number().int().nonnegative();
const Uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, "a lowercase UUID");

/** A domain whose definition (live or next-boot) references the volume. */
export const VolumeUser = z.strictObject({ name: z.string().max(256), uuid: Uuid });
export type VolumeUser = z.infer<typeof VolumeUser>;

export const VolumeSummary = z.strictObject({
  name: z.string().min(1).max(256),
  path: z.string().max(4096),
  format: VolumeFormat,
  /** Bytes the guest sees (a qcow2's virtual size). */
  capacity: Bytes,
  /** Bytes used on the host. */
  allocation: Bytes,
  usedBy: z.array(VolumeUser).max(16_384),
});
export type VolumeSummary = z.infer<typeof VolumeSummary>;
