// Catalogue completeness: every namespace exists in both languages with exactly the same
// keys, every message parses as ICU MessageFormat, the placeholders of a Spanish message
// are those of its English one, and every namespace file is registered in messages.ts.
import fs from "node:fs";
import path from "node:path";
import { parse, TYPE, type MessageFormatElement } from "@formatjs/icu-messageformat-parser";
import { describe, expect, it } from "vitest";
import { LOCALES } from "@/server/protocol/locales";
import { CATALOGUES } from "@/components/i18n/messages";

const DIR = path.join(import.meta.dirname, "..", "components", "i18n", "messages");

function flatten(obj: unknown, prefix = "", out = new Map<string, string>()): Map<string, string> {
  for (const [k, v] of Object.entries(obj as Record<string, unknown>)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === "string") out.set(key, v);
    else if (v && typeof v === "object") flatten(v, key, out);
    else throw new Error(`${key}: not a string or object`);
  }
  return out;
}

function args(elements: MessageFormatElement[], out = new Set<string>()): Set<string> {
  for (const e of elements) {
    if (e.type === TYPE.argument || e.type === TYPE.number || e.type === TYPE.date || e.type === TYPE.time) out.add(e.value);
    if (e.type === TYPE.plural || e.type === TYPE.select) {
      out.add(e.value);
      for (const o of Object.values(e.options)) args(o.value, out);
    }
    if (e.type === TYPE.tag) {
      out.add(`<${e.value}>`);
      args(e.children, out);
    }
  }
  return out;
}

const files = (locale: string) =>
  fs
    .readdirSync(path.join(DIR, locale))
    .filter((f) => f.endsWith(".json"))
    .map((f) => f.slice(0, -5))
    .sort();

describe("message catalogues", () => {
  it("have the same namespaces in every language, all registered", () => {
    const en = files("en");
    for (const locale of LOCALES) expect(files(locale), locale).toEqual(en);
    for (const locale of LOCALES) expect(Object.keys(CATALOGUES[locale]).sort(), `messages.ts, ${locale}`).toEqual(en);
  });

  for (const ns of files("en")) {
    it(`${ns}: same keys, valid ICU, same placeholders in every language`, () => {
      const read = (locale: string) => flatten(JSON.parse(fs.readFileSync(path.join(DIR, locale, `${ns}.json`), "utf8")));
      const en = read("en");
      for (const locale of LOCALES) {
        const other = read(locale);
        expect(
          [...other.keys()].filter((k) => !en.has(k)),
          `${locale}/${ns}.json: keys English lacks`,
        ).toEqual([]);
        expect(
          [...en.keys()].filter((k) => !other.has(k)),
          `${locale}/${ns}.json: missing keys`,
        ).toEqual([]);
        for (const [key, text] of other) {
          expect(text.trim(), `${locale}/${ns}.json ${key}: empty`).not.toBe("");
          const mine = args(parse(text));
          const ref = args(parse(en.get(key)!));
          expect([...mine].sort(), `${locale}/${ns}.json ${key}: placeholders`).toEqual([...ref].sort());
        }
      }
    });
  }
});
