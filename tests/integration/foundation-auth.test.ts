// The foundation against the real built server: setup, sign-in, throttling, CSRF/Origin,
// session expiry and revocation, websocket upgrade rules, shutdown.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN, Client, startServer, startWithAdmin, type TestServer } from "../helpers/server";
import { closed, nextMessage, tryUpgrade } from "../helpers/ws";

describe("first run and sign-in", () => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startServer();
  });
  afterAll(async () => {
    await srv.stop();
  });

  it("prints a one-time setup URL and refuses a wrong token", async () => {
    expect(srv.setupToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const c = new Client(srv.url);
    const wrong = await c.req("POST", "/api/setup", { token: "x".repeat(43), ...ADMIN });
    expect(wrong.status).toBe(403);
    expect(wrong.json.error.fields.token).toBeTruthy();
    const status = await c.req("GET", `/api/setup?token=${srv.setupToken}`);
    expect(status.json).toEqual({ needed: true, tokenValid: true });
  });

  it("serves the icons in public/ to anyone, and pages link them", async () => {
    const types: Record<string, RegExp> = {
      "/favicon.ico": /^image\/(x-icon|vnd\.microsoft\.icon)/,
      "/icon.svg": /^image\/svg\+xml/,
      "/apple-touch-icon.png": /^image\/png/,
      "/manifest.webmanifest": /^application\/manifest\+json/,
    };
    for (const [file, type] of Object.entries(types)) {
      const r = await fetch(srv.url + file);
      expect(r.status, file).toBe(200);
      expect(r.headers.get("content-type"), file).toMatch(type);
      expect((await r.arrayBuffer()).byteLength, file).toBeGreaterThan(100);
    }
    const manifest = await (await fetch(srv.url + "/manifest.webmanifest")).json();
    for (const icon of manifest.icons) expect((await fetch(srv.url + icon.src)).status, icon.src).toBe(200);
    const html = await (await fetch(srv.url + "/login")).text();
    expect(html).toMatch(/<link rel="icon" href="\/favicon\.ico"/);
    expect(html).toContain('rel="manifest" href="/manifest.webmanifest"');
    expect(html).toContain('rel="apple-touch-icon" href="/apple-touch-icon.png"');
  });

  it("creates the first admin once; the token and /setup are then closed", async () => {
    const c = new Client(srv.url);
    const short = await c.req("POST", "/api/setup", { token: srv.setupToken, username: "admin", password: "short" });
    expect(short.status).toBe(422);
    expect(short.json.error.fields.password).toMatch(/12/);
    const ok = await c.req("POST", "/api/setup", { token: srv.setupToken, ...ADMIN });
    expect(ok.status).toBe(201);
    expect(c.cookie).toMatch(/^hangar_session=/);
    expect((await c.req("GET", "/api/auth/me")).json.user.username).toBe("admin");
    const again = await new Client(srv.url).req("POST", "/api/setup", {
      token: srv.setupToken,
      username: "other",
      password: "another long password",
    });
    expect(again.status).toBe(409);
    const page = await fetch(`${srv.url}/setup?token=${srv.setupToken}`, { redirect: "manual" });
    expect(page.status).toBe(307);
    expect(page.headers.get("location")).toContain("/login");
  });

  it("wrong password → 401 with a generic message; the 6th quick failure → 429 with Retry-After", async () => {
    const c = new Client(srv.url);
    const unknownUser = await c.req("POST", "/api/auth/login", { username: "nobody", password: "whatever-long-pw" });
    expect(unknownUser.status).toBe(401);
    const statuses: number[] = [];
    let last: Awaited<ReturnType<Client["req"]>> | null = null;
    for (let i = 0; i < 6; i++) {
      last = await c.req("POST", "/api/auth/login", { username: "admin", password: `wrong-password-${i}` });
      statuses.push(last.status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    expect(Number(last!.headers.get("retry-after"))).toBeGreaterThan(0);
    // Same message whether the user exists or not.
    const again = await c.req("POST", "/api/auth/login", { username: "nobody", password: "whatever-long-pw" });
    expect(again.json.error.message).toBe(unknownUser.json.error.message);
    // Even the right password is throttled while the account is blocked.
    expect((await c.req("POST", "/api/auth/login", ADMIN)).status).toBe(429);
  });
});

describe("request safety and sessions", () => {
  let srv: TestServer;
  let admin: Client;
  beforeAll(async () => {
    ({ srv, admin } = await startWithAdmin({ HANGAR_SESSION_IDLE_SECONDS: "3", HANGAR_WS_PING_SECONDS: "1" }));
  });
  afterAll(async () => {
    await srv.stop();
  });

  it("audit log records failed sign-ins", async () => {
    await new Client(srv.url).req("POST", "/api/auth/login", { username: "mallory", password: "guessing-passwords" });
    const events = (await admin.req("GET", "/api/audit")).json.events as { action: string; actor: string; outcome: string }[];
    expect(events).toContainEqual(expect.objectContaining({ action: "auth.login", actor: "mallory", outcome: "failure" }));
  });

  it("refuses a cross-origin POST and a POST without the CSRF header", async () => {
    const cross = await admin.req("POST", "/api/auth/logout", undefined, { Origin: "https://evil.example" });
    expect(cross.status).toBe(403);
    const noCsrf = await admin.req("POST", "/api/auth/logout", undefined, { "X-Hangar-CSRF": "" });
    expect(noCsrf.status).toBe(403);
    expect((await admin.req("GET", "/api/auth/me")).status).toBe(200);
  });

  it("refuses cross-origin and unauthenticated upgrades on all three paths", async () => {
    for (const p of ["/ws/events", "/ws/console", "/ws/agent"]) {
      const cross = await tryUpgrade(srv.url, p, { Origin: "https://evil.example", Cookie: admin.cookie });
      expect(cross.status, p).toBe(403);
      const anon = await tryUpgrade(srv.url, p, { Origin: srv.url });
      expect(anon.status, p).toBe(401);
    }
    expect((await tryUpgrade(srv.url, "/ws/other", { Origin: srv.url, Cookie: admin.cookie })).status).toBe(404);
    const ok = await tryUpgrade(srv.url, "/ws/events", { Origin: srv.url, Cookie: admin.cookie });
    expect(ok.status).toBe(101);
    expect((await nextMessage(ok.ws!)).type).toBe("hello");
    ok.ws!.close();
  });

  it("revoking a session ends its requests and closes its websockets", async () => {
    const other = new Client(srv.url);
    expect((await other.req("POST", "/api/auth/login", ADMIN)).status).toBe(200);
    const sock = await tryUpgrade(srv.url, "/ws/events", { Origin: srv.url, Cookie: other.cookie });
    expect(sock.status).toBe(101);
    await nextMessage(sock.ws!);
    const list = (await admin.req("GET", "/api/sessions")).json.sessions as { id: string; current: boolean }[];
    const target = list.find((s) => !s.current)!;
    const closing = closed(sock.ws!);
    expect((await admin.req("DELETE", `/api/sessions/${target.id}`)).status).toBe(200);
    expect((await closing).code).toBe(4401);
    expect((await other.req("GET", "/api/auth/me")).status).toBe(401);
    expect((await admin.req("DELETE", `/api/sessions/${target.id}`)).status).toBe(404);
  });

  it("expires an idle session server-side (idle timeout 3 s here)", async () => {
    const c = new Client(srv.url);
    await c.req("POST", "/api/auth/login", ADMIN);
    expect((await c.req("GET", "/api/auth/me")).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1500));
    expect((await c.req("GET", "/api/auth/me")).status).toBe(200); // activity keeps it alive
    await new Promise((r) => setTimeout(r, 3500));
    expect((await c.req("GET", "/api/auth/me")).status).toBe(401);
    // The admin made no request meanwhile: its session went idle too.
    expect((await admin.req("GET", "/api/auth/me")).status).toBe(401);
  });
});

describe("shutdown", () => {
  it("closes websockets and exits 0 on SIGTERM", async () => {
    const { srv, admin } = await startWithAdmin();
    const sock = await tryUpgrade(srv.url, "/ws/events", { Origin: srv.url, Cookie: admin.cookie });
    await nextMessage(sock.ws!);
    const closing = closed(sock.ws!);
    const code = await srv.stop("SIGTERM");
    expect((await closing).code).toBe(1001);
    expect(code).toBe(0);
  });
});
