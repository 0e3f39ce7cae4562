// Uploads of ISO and disk images into a pool's volume: methods the server calls on the agent (noun.verb, params and result).
import { z } from "zod";

/** Ceiling for volume uploads (streamed, never held in memory); HANGAR_MAX_UPLOAD_BYTES lowers it. */
export const MAX_VOLUME_UPLOAD_BYTES = 64 * 1024 ** 4;
/** Default of HANGAR_MAX_UPLOAD_BYTES. */
export const DEFAULT_VOLUME_UPLOAD_BYTES = 64 * 1024 ** 3;

export const UPLOAD_FORMATS = ["raw", "qcow2", "iso"] as const;
export const UploadFormat = z.enum(UPLOAD_FORMATS);
export type UploadFormat = z.infer<typeof UploadFormat>;

/** How many leading bytes decide the format: an ISO's 'CD001' sits at 0x8001. */
export const FORMAT_PROBE_BYTES = 0x8001 + 5;

/** qcow2 starts with 'QFI\xfb'; an ISO 9660 image has 'CD001' at 0x8001 (its first volume descriptor); anything else is raw. */
export function detectFormat(head: Uint8Array): UploadFormat {
  if (head.length >= 4 && head[0] === 0x51 && head[1] === 0x46 && head[2] === 0x49 && head[3] === 0xfb) return "qcow2";
  if (head.length >= FORMAT_PROBE_BYTES) {
    const id = String.fromCharCode(...head.subarray(0x8001, 0x8001 + 5));
    if (id === "CD001") return "iso";
  }
  return "raw";
}

/**
 * Why a volume name is refused, or null. Nothing is stripped or rewritten: the name is the
 * file's name in the pool's directory, so a path component, a control character or a
 * leading '.' (hidden, and the prefix of our temporary names) is refused outright. Every
 * name allowed here is also a valid VolumeName (./volume.ts), stricter where it differs.
 */
export function volumeNameProblem(name: string): string | null {
  if (name.length === 0) return "required";
  if (name.length > 200) return "at most 200 characters";
  if (name.includes("/") || name.includes("\\")) return "no '/' or '\\' (a file name, not a path)";
  if (name.includes("..")) return "no '..'";
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) return "no control characters";
  if (name.startsWith(".")) return "must not start with '.'";
  // As the volume routes' VolumeName (./volume.ts) requires: an uploaded volume stays addressable there.
  if (name.trim() !== name) return "no leading or trailing spaces";
  return null;
}

export const UploadVolumeName = z.string().superRefine((n, ctx) => {
  const why = volumeNameProblem(n);
  if (why) ctx.addIssue({ code: "custom", message: why });
});

export const VolumeUploadResult = z.strictObject({
  pool: z.string().max(256),
  name: z.string().max(256),
  path: z.string().max(4096),
  format: UploadFormat,
  bytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** An existing volume of that name was replaced (overwrite). */
  replaced: z.boolean(),
});
export type VolumeUploadResult = z.infer<typeof VolumeUploadResult>;

export const UploadMethods = {
  // The bytes arrive over a data connection the agent dials with the channel token. They
  // go into a temporary volume, renamed to `name` only once all `size` bytes are written.
  "volume.upload": {
    params: z.strictObject({
      channel: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/),
      token: z.string().regex(/^[A-Za-z0-9_-]{32,128}$/),
      pool: z.string().min(1).max(256),
      name: UploadVolumeName,
      size: z.number().int().positive().max(MAX_VOLUME_UPLOAD_BYTES),
      format: UploadFormat,
      overwrite: z.boolean(),
    }),
    result: z.strictObject({ volume: VolumeUploadResult }),
  },
} as const;
