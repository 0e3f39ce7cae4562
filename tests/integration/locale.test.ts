// The UI language (issue 16 point 4), against the real built server: a signed-in user's
// choice is saved on the account and decides every page, whatever the browser asks for;
// without one the browser's Accept-Language decides, and the cookie set with the choice
// keeps signed-out pages in it. Bad values are refused naming the field, nothing saved.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN, Client, startWithAdmin, type TestServer } from "../helpers/server";

const lang = (html: string) => /<html[^>]*\blang="([^"]+)"/.exec(html)?.[1];

describe("UI language", () => {
  let srv: TestServer;
  let admin: Client;
  let session = "";

  /** PATCH /api/auth/me, keeping the session cookie (the client keeps only the last one set). */
  const choose = async (locale: unknown) => {
    const r = await admin.req("PATCH", "/api/auth/me", { locale });
    const set = r.headers.get("set-cookie") ?? "";
    admin.cookie = session;
    return { ...r, set };
  };
  const page = async (path: string, headers: Record<string, string> = {}, cookie = session) => {
    const r = await fetch(srv.url + path, { headers: { Cookie: cookie, ...headers }, redirect: "manual" });
    return { status: r.status, html: await r.text() };
  };

  beforeAll(async () => {
    ({ srv, admin } = await startWithAdmin());
    session = admin.cookie;
  });
  afterAll(async () => {
    await srv?.stop();
  });

  it("follows Accept-Language until the user chooses", async () => {
    expect((await admin.req("GET", "/api/auth/me")).json.preferences).toEqual({ locale: null });
    expect(lang((await page("/settings", { "Accept-Language": "es-MX,es;q=0.9,en;q=0.5" })).html)).toBe("es");
    expect(lang((await page("/settings", { "Accept-Language": "fr-FR,en;q=0.5" })).html)).toBe("en");
    expect(lang((await page("/settings")).html)).toBe("en");
  });

  it("saves the choice on the account: every page in it, whatever the browser asks", async () => {
    const r = await choose("es");
    expect(r.status).toBe(200);
    expect(r.json.preferences).toEqual({ locale: "es" });
    expect(r.set).toMatch(/^hangar_locale=es; Path=\/; SameSite=Lax; Max-Age=\d+/);
    expect((await admin.req("GET", "/api/auth/me")).json.preferences).toEqual({ locale: "es" });
    const settings = await page("/settings", { "Accept-Language": "en-US,en;q=0.9" });
    expect(settings.status).toBe(200);
    expect(lang(settings.html)).toBe("es");
    // The Spanish catalogue reached the page (the picker's own title).
    expect(settings.html).toContain("Idioma");
    // Another browser of the same user (a new session, English browser) gets it too.
    const other = new Client(srv.url);
    expect((await other.req("POST", "/api/auth/login", ADMIN)).status).toBe(200);
    expect(lang((await page("/machines", { "Accept-Language": "en" }, other.cookie)).html)).toBe("es");
  });

  it("keeps signed-out pages in the chosen language by its cookie", async () => {
    const login = await page("/login", { "Accept-Language": "en" }, "hangar_locale=es");
    expect(login.status).toBe(200);
    expect(lang(login.html)).toBe("es");
    // A cookie naming no shipped language is ignored.
    expect(lang((await page("/login", { "Accept-Language": "en" }, "hangar_locale=xx")).html)).toBe("en");
  });

  it("refuses what is not a shipped language, naming the field, and keeps the saved one", async () => {
    for (const bad of ["fr", "ES", "", 3, { x: 1 }]) {
      const r = await choose(bad);
      expect(r.status, JSON.stringify(bad)).toBe(422);
      expect(Object.keys(r.json.error.fields ?? {})).toContain("locale");
      expect(r.set).toBe("");
    }
    const extra = await admin.req("PATCH", "/api/auth/me", { locale: "en", theme: "dark" });
    admin.cookie = session;
    expect(extra.status).toBe(422);
    expect((await admin.req("GET", "/api/auth/me")).json.preferences).toEqual({ locale: "es" });
  });

  it("goes back to the browser's language with null, clearing the cookie", async () => {
    const r = await choose(null);
    expect(r.status).toBe(200);
    expect(r.set).toMatch(/^hangar_locale=; Path=\/; SameSite=Lax; Max-Age=0/);
    expect(lang((await page("/settings", { "Accept-Language": "en-GB" })).html)).toBe("en");
    expect(lang((await page("/settings", { "Accept-Language": "es" })).html)).toBe("es");
  });

  it("needs a signed-in session", async () => {
    const anon = new Client(srv.url);
    expect((await anon.req("PATCH", "/api/auth/me", { locale: "es" })).status).toBe(401);
  });
});
