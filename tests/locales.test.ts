import { describe, expect, it } from "vitest";
import { negotiateLocale } from "@/server/protocol/locales";

describe("negotiateLocale", () => {
  it.each([
    ["es-MX,es;q=0.9,en;q=0.8", "es"],
    ["en-US,en;q=0.9,es;q=0.8", "en"],
    ["fr-FR,fr;q=0.9,es;q=0.5,en;q=0.4", "es"],
    ["de;q=1, en;q=0.2, es;q=0.7", "es"],
    ["ES", "es"],
    ["fr, de", null],
    ["es;q=0, en;q=0.1", "en"],
    ["", null],
  ])("%s → %s", (header, want) => {
    expect(negotiateLocale(header)).toBe(want);
  });
});
