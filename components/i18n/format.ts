// Numbers, byte sizes, dates and relative times in the reader's language: "1.5 GiB" in
// English is "1,5 GiB" in Spanish. Sizes keep binary units (what libvirt and qemu-img
// print) in every language. Pure functions take the locale (for table column definitions
// and tests); useFormat() binds them to the page's language.
"use client";
import { useLocale } from "next-intl";
import { useMemo } from "react";

const BYTE_UNITS = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"] as const;

// Intl formatters are costly to build and these are called per table cell.
const numberFormats = new Map<string, Intl.NumberFormat>();
function numberFormat(locale: string, digits: number): Intl.NumberFormat {
  const key = `${locale}|${digits}`;
  let f = numberFormats.get(key);
  if (!f) numberFormats.set(key, (f = new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits })));
  return f;
}

export function formatNumber(v: number, locale: string, digits = 0): string {
  return numberFormat(locale, digits).format(v);
}

/** 1536 → "1.5 KiB"; small values keep one decimal so neighbouring values stay distinct. */
export function formatBytes(v: number, locale: string): string {
  let i = 0;
  while (Math.abs(v) >= 1024 && i < BYTE_UNITS.length - 1) {
    v /= 1024;
    i++;
  }
  const digits = Math.abs(v) < 10 && (i > 0 || !Number.isInteger(v)) ? 1 : 0;
  return `${formatNumber(v, locale, digits)} ${BYTE_UNITS[i]}`;
}

/** A percentage as the metrics panels print it: "7.5 %" / "7,5 %". */
export function formatPercent(v: number, locale: string): string {
  return `${formatNumber(v, locale, Math.abs(v) < 10 ? 1 : 0)} %`;
}

export type DateStyle = "datetime" | "date" | "time";
const DATE_OPTIONS: Record<DateStyle, Intl.DateTimeFormatOptions> = {
  datetime: { dateStyle: "medium", timeStyle: "short" },
  date: { dateStyle: "medium" },
  time: { timeStyle: "medium" },
};

export function formatDate(at: string | number | Date, locale: string, style: DateStyle = "datetime", timeZone?: string): string {
  return new Date(at).toLocaleString(locale, { ...DATE_OPTIONS[style], timeZone });
}

/**
 * Time-axis labels for a chart's ticks (Unix seconds), worded as the reader's language
 * writes times: seconds where ticks are under a minute apart, the day where they are a day
 * or more apart. uPlot's own labels are English ("3:05pm", "Dec 4").
 */
export function formatTicks(ticks: number[], locale: string, timeZone?: string): string[] {
  const step = ticks.length > 1 ? ticks[1]! - ticks[0]! : 60;
  const opts: Intl.DateTimeFormatOptions =
    step >= 86400
      ? { day: "numeric", month: "short" }
      : step < 60
        ? { hour: "2-digit", minute: "2-digit", second: "2-digit" }
        : { hour: "2-digit", minute: "2-digit" };
  const f = new Intl.DateTimeFormat(locale, { ...opts, timeZone });
  return ticks.map((v) => f.format(v * 1000));
}

/** "5 s ago" / "hace 5 s"; past a day the date itself. */
export function formatAgo(at: string | number | Date, locale: string, now = Date.now()): string {
  const s = Math.max(0, Math.round((now - new Date(at).getTime()) / 1000));
  const rtf = new Intl.RelativeTimeFormat(locale, { style: "short", numeric: "always" });
  if (s < 60) return rtf.format(-s, "second");
  if (s < 3600) return rtf.format(-Math.round(s / 60), "minute");
  if (s < 86400) return rtf.format(-Math.round(s / 3600), "hour");
  return formatDate(at, locale);
}

export interface Format {
  locale: string;
  number: (v: number, digits?: number) => string;
  bytes: (v: number) => string;
  percent: (v: number) => string;
  date: (at: string | number | Date, style?: DateStyle, timeZone?: string) => string;
  ago: (at: string | number | Date) => string;
}

export function formatFor(locale: string): Format {
  return {
    locale,
    number: (v, digits) => formatNumber(v, locale, digits),
    bytes: (v) => formatBytes(v, locale),
    percent: (v) => formatPercent(v, locale),
    date: (at, style, timeZone) => formatDate(at, locale, style, timeZone),
    ago: (at) => formatAgo(at, locale),
  };
}

/** The formatters for the page's language. */
export function useFormat(): Format {
  const locale = useLocale();
  return useMemo(() => formatFor(locale), [locale]);
}
