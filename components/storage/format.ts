// Sizes as an admin reads and types them: binary units (a "10 GiB" disk is 10·2^30 bytes,
// what qemu-img and libvirt print).
export const SIZE_UNITS = { MiB: 1024 ** 2, GiB: 1024 ** 3, TiB: 1024 ** 4 } as const;
export type SizeUnit = keyof typeof SIZE_UNITS;

// Printing sizes is components/i18n/format.ts (useFormat().bytes): in the reader's language.

/** "10" + GiB → bytes, whole; null when not a positive number. */
export function parseSize(value: string, unit: SizeUnit): number | null {
  const n = Number(value.trim().replace(",", "."));
  if (!value.trim() || !Number.isFinite(n) || n <= 0) return null;
  return Math.round(n * SIZE_UNITS[unit]);
}
