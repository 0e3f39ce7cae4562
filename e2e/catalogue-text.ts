// Checks that a text a page shows comes from a message catalogue (issue 16's Spanish e2e):
// each catalogue message becomes a pattern (its placeholders match anything, plurals any of
// their branches), and a text is accepted when it matches a message whole, is one literal
// piece of a message (rich text splits a message into several DOM text nodes), or is only
// data: names the API returned, numbers, sizes, dates, addresses. Data that reads like an
// English message of the catalogue is never excused: a raw "running" from the API shown
// untranslated still fails.
import fs from "node:fs";
import path from "node:path";
import { parse, TYPE, type MessageFormatElement } from "@formatjs/icu-messageformat-parser";

const DIR = path.join(import.meta.dirname, "..", "components", "i18n", "messages");

function strings(obj: unknown, out: string[] = []): string[] {
  for (const v of Object.values(obj as Record<string, unknown>)) {
    if (typeof v === "string") out.push(v);
    else if (v && typeof v === "object") strings(v, out);
  }
  return out;
}

export function catalogue(locale: string): string[] {
  return fs.readdirSync(path.join(DIR, locale)).flatMap((f) => strings(JSON.parse(fs.readFileSync(path.join(DIR, locale, f), "utf8"))));
}

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const ws = (s: string) => s.replace(/\s+/g, " ");

function regexOf(elements: MessageFormatElement[]): string {
  return elements
    .map((e) => {
      switch (e.type) {
        case TYPE.literal:
          return esc(ws(e.value));
        case TYPE.pound:
          return "[\\d.,\\s]+";
        case TYPE.plural:
        case TYPE.select:
          return `(?:${Object.values(e.options)
            .map((o) => regexOf(o.value))
            .join("|")})`;
        case TYPE.tag:
          return regexOf(e.children);
        default:
          return ".*?";
      }
    })
    .join("");
}

function literals(elements: MessageFormatElement[], out: string[]): void {
  for (const e of elements) {
    if (e.type === TYPE.literal) out.push(ws(e.value).trim());
    if (e.type === TYPE.plural || e.type === TYPE.select) for (const o of Object.values(e.options)) literals(o.value, out);
    if (e.type === TYPE.tag) literals(e.children, out);
  }
}

// What Intl writes around numbers and dates in Spanish; units, key caps and the product's
// name, the same in every language.
const NEUTRAL =
  /\b(?:Hangar|Ctrl|Cmd|Esc|K|ene|feb|mar|abr|may|jun|jul|ago|sept?|oct|nov|dic|hace|dentro de|a las|B|KiB|MiB|GiB|TiB|PiB|ms|s|min|h|d|%|p\.\s?m\.|a\.\s?m\.)\b\.?/gi;
const ADDRESSES =
  /\b(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|(?:[0-9a-f]{2}:){5}[0-9a-f]{2}|\d{1,3}(?:\.\d{1,3}){3}(?:\/\d+)?|[0-9a-f]{12,64})\b/gi;

export class CatalogueText {
  private readonly whole: RegExp[];
  private readonly pieces: Set<string>;
  private readonly english: Set<string>;

  constructor(locale: string) {
    const messages = catalogue(locale);
    this.whole = messages.map((m) => new RegExp(`^\\s*${regexOf(parse(m, { ignoreTag: false }))}\\s*$`, "s"));
    const pieces: string[] = [];
    for (const m of messages) literals(parse(m), pieces);
    this.pieces = new Set(pieces.filter((p) => /\p{L}{2,}/u.test(p)));
    const mine = new Set(messages.map((m) => m.toLowerCase()));
    this.english = new Set(
      catalogue("en")
        .map((m) => m.toLowerCase())
        .filter((m) => !mine.has(m)),
    );
  }

  /** The texts that are neither catalogue messages nor data. */
  foreign(texts: string[], data: Iterable<string>): string[] {
    const excused = [...new Set(data)]
      .filter((d) => d.trim().length > 0 && !this.english.has(d.trim().toLowerCase()))
      .sort((a, b) => b.length - a.length);
    return texts.filter((raw) => {
      const t = ws(raw).trim();
      if (!/\p{L}{2,}/u.test(t)) return false;
      if (this.pieces.has(t) || this.whole.some((r) => r.test(t))) return false;
      let rest = t;
      for (const d of excused) if (rest.includes(d)) rest = rest.split(d).join(" ");
      rest = rest.replace(ADDRESSES, " ").replace(NEUTRAL, " ");
      return /\p{L}{2,}/u.test(rest);
    });
  }
}

/** Every string value in a JSON answer (names, ids, paths…): what a page may show as data. */
export function dataStrings(value: unknown, out: string[] = []): string[] {
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) for (const v of value) dataStrings(v, out);
  else if (value && typeof value === "object") for (const v of Object.values(value)) dataStrings(v, out);
  return out;
}
