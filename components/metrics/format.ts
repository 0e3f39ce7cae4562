// Units for metric values: what a number means is always printed with it, in the reader's
// language ("1.5 GiB/s" / "1,5 GiB/s"). The locale defaults to English for callers that
// have not passed theirs yet.
import { formatBytes, formatNumber, formatPercent } from "../i18n/format";

export type Unit = "percent" | "bytes" | "rate" | "ops" | "load";

export function formatValue(v: number | null | undefined, unit: Unit, locale = "en"): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return "—";
  switch (unit) {
    case "percent":
      return formatPercent(v, locale);
    case "bytes":
      return formatBytes(v, locale);
    case "rate":
      return `${formatBytes(v, locale)}/s`;
    case "ops":
      return `${formatNumber(v, locale, v < 10 ? 1 : 0)} ops/s`;
    case "load":
      return formatNumber(v, locale, 2);
  }
}
