// Units for metric values: what a number means is always printed with it.
export type Unit = "percent" | "bytes" | "rate" | "ops" | "load";

export function formatValue(v: number | null | undefined, unit: Unit): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return "—";
  switch (unit) {
    case "percent":
      return `${v.toFixed(v < 10 ? 1 : 0)} %`;
    case "bytes":
      return bytes(v);
    case "rate":
      return `${bytes(v)}/s`;
    case "ops":
      return `${v < 10 ? v.toFixed(1) : Math.round(v)} ops/s`;
    case "load":
      return v.toFixed(2);
  }
}

function bytes(v: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let i = 0;
  while (Math.abs(v) >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  // Small values keep a decimal so axis ticks (0.5, 1, 1.5 B/s) stay distinct.
  return `${v.toFixed(v < 10 && (i > 0 || !Number.isInteger(v)) ? 1 : 0)} ${units[i]}`;
}
