// Sizes as an admin reads and types them: binary units (a "10 GiB" disk is 10·2^30 bytes,
// what qemu-img and libvirt print).
export const SIZE_UNITS = { MiB: 1024 ** 2, GiB: 1024 ** 3, TiB: 1024 ** 4 } as const;
export type SizeUnit = keyof typeof SIZE_UNITS;

export function formatBytes(v: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 && i > 0 ? 1 : 0)} ${units[i]}`;
}

/** "10" + GiB → bytes, whole; null when not a positive number. */
export function parseSize(value: string, unit: SizeUnit): number | null {
  const n = Number(value.trim().replace(",", "."));
  if (!value.trim() || !Number.isFinite(n) || n <= 0) return null;
  return Math.round(n * SIZE_UNITS[unit]);
}
