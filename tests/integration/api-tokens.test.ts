// API tokens against the real built server: a token carries a chosen subset of its owner's
// rights (and never more than the owner holds now), works with `Authorization: Bearer`
// without the CSRF header (a cookie session still needs it), is refused once expired or
// revoked, is audited, and its value appears in no log and no audit row.
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, startWithAdmin, type TestServer } from "../helpers/server";
import { tryUpgrade } from "../helpers/ws";

describe("API tokens", () => {
  let srv: TestServer;
  let admin: Client;
  let olga: Client;
  let olgaId = "";
  const values: string[] = [];

  const bearer = (value: string, method: string, p: string, body?: unknown, headers: Record<string, string> = {}) =>
    fetch(srv.url + p, {
      method,
      headers: { Authorization: `Bearer ${value}`, ...(body === undefined ? {} : { "Content-Type": "application/json" }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const create = async (c: Client, name: string, permissions: string[], expiresInDays = 30) => {
    const r = await c.req("POST", "/api/tokens", { name, permissions, expiresInDays });
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    values.push(r.json.value);
    return r.json as { value: string; token: { id: string; hint: string; permissions: string[] } };
  };

  beforeAll(async () => {
    ({ srv, admin } = await startWithAdmin());
    const u = await admin.req("POST", "/api/users", { username: "olga", password: "a long enough password", role: "operator" });
    olgaId = u.json.user.id;
    olga = new Client(srv.url);
    expect((await olga.req("POST", "/api/auth/login", { username: "olga", password: "a long enough password" })).status).toBe(200);
  });
  afterAll(async () => {
    await srv?.stop();
  });

  it("is shown once, hgr_-prefixed, and listed afterwards without its value", async () => {
    const t = await create(admin, "ci", ["vm.read", "vm.power"]);
    expect(t.value).toMatch(/^hgr_[A-Za-z0-9_-]{43}$/);
    expect(t.token.hint).toBe(t.value.slice(0, 8));
    const list = await admin.req("GET", "/api/tokens");
    expect(list.status).toBe(200);
    expect(JSON.stringify(list.json)).not.toContain(t.value);
    expect(list.json.tokens[0]).toMatchObject({ name: "ci", permissions: ["vm.read", "vm.power"], lastUsedAt: null });
  });

  it("holds only its permissions: vm.power + vm.read lists machines but cannot read the audit log", async () => {
    const t = await create(admin, "power", ["vm.read", "vm.power"]);
    expect((await bearer(t.value, "GET", "/api/machines")).status).toBe(200);
    const audit = await bearer(t.value, "GET", "/api/audit");
    expect(audit.status).toBe(403);
    expect((await audit.json()).error.message).toContain("audit.read");
    const only = await create(admin, "power-only", ["vm.power"]);
    expect((await bearer(only.value, "GET", "/api/machines")).status).toBe(403);
    expect((await bearer(only.value, "GET", "/api/audit")).status).toBe(403);
    // Used: last-used is set (and written at most once a minute, so a second call leaves it).
    const first = (await admin.req("GET", "/api/tokens")).json.tokens.find((x: { id: string }) => x.id === t.token.id).lastUsedAt;
    expect(first).not.toBeNull();
    await bearer(t.value, "GET", "/api/machines");
    expect((await admin.req("GET", "/api/tokens")).json.tokens.find((x: { id: string }) => x.id === t.token.id).lastUsedAt).toBe(first);
  });

  it("cannot be given rights its owner lacks, and shrinks when the owner is demoted", async () => {
    const over = await olga.req("POST", "/api/tokens", { name: "grab", permissions: ["vm.read", "audit.read"], expiresInDays: 5 });
    expect(over.status).toBe(403);
    expect(over.json.error.fields.permissions).toContain("audit.read");
    const bad = await olga.req("POST", "/api/tokens", { name: "", permissions: [], expiresInDays: 400 });
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.json.error.fields).sort()).toEqual(["expiresInDays", "name", "permissions"]);
    const t = await create(olga, "olga-power", ["vm.read", "vm.power"]);
    // A machine that does not exist: 404 means the permission check passed.
    const act = () => bearer(t.value, "POST", "/api/machines/no-host/11111111-2222-3333-4444-555555555555/actions", { action: "start" });
    expect((await act()).status).toBe(404);
    expect((await admin.req("PATCH", `/api/users/${olgaId}`, { role: "viewer" })).status).toBe(200);
    expect((await act()).status).toBe(403);
    expect((await bearer(t.value, "GET", "/api/machines")).status).toBe(200);
    expect((await admin.req("PATCH", `/api/users/${olgaId}`, { role: "operator" })).status).toBe(200);
    expect((await act()).status).toBe(404);
  });

  it("needs no CSRF header with Bearer, while a cookie session still does", async () => {
    const t = await create(admin, "hosts", ["host.read", "host.manage"]);
    // No Origin, no X-Hangar-CSRF: as a script would call it.
    const made = await bearer(t.value, "POST", "/api/hosts", { name: "tok-host" });
    expect(made.status).toBe(201);
    // Same call with the cookie and no CSRF header: refused.
    const res = await fetch(srv.url + "/api/hosts", {
      method: "POST",
      headers: { Cookie: admin.cookie, "Content-Type": "application/json", Origin: srv.url },
      body: JSON.stringify({ name: "cookie-host" }),
    });
    expect(res.status).toBe(403);
    expect((await res.json()).error.message).toContain("x-hangar-csrf");
    // A Bearer header with a bad value is a 401 even when a valid cookie rides along.
    const mixed = await fetch(srv.url + "/api/machines", { headers: { Cookie: admin.cookie, Authorization: "Bearer hgr_nope" } });
    expect(mixed.status).toBe(401);
  });

  it("is not accepted where a browser session is required (tokens, sessions, consoles) nor on websockets", async () => {
    const t = await create(admin, "wide", ["session.manage", "vm.read", "vm.console"]);
    expect((await bearer(t.value, "GET", "/api/tokens")).status).toBe(403);
    expect((await bearer(t.value, "POST", "/api/tokens", { name: "child", permissions: ["vm.read"], expiresInDays: 1 })).status).toBe(403);
    expect((await bearer(t.value, "GET", "/api/sessions")).status).toBe(403);
    expect((await bearer(t.value, "POST", "/api/machines/no-host/11111111-2222-3333-4444-555555555555/console", { kind: "vnc" })).status).toBe(403);
    const ws = await tryUpgrade(srv.url, "/ws/events", { Authorization: `Bearer ${t.value}`, Origin: srv.url });
    expect(ws.status).toBe(401);
  });

  it("is refused once revoked (next request) or expired", async () => {
    const t = await create(olga, "short", ["vm.read"]);
    expect((await bearer(t.value, "GET", "/api/machines")).status).toBe(200);
    // Only its owner or an admin may revoke it; to anyone else it does not exist.
    const viewer = await admin.req("POST", "/api/users", { username: "vic", password: "a long enough password", role: "viewer" });
    expect(viewer.status).toBe(201);
    const vic = new Client(srv.url);
    await vic.req("POST", "/api/auth/login", { username: "vic", password: "a long enough password" });
    expect((await vic.req("DELETE", `/api/tokens/${t.token.id}`)).status).toBe(404);
    expect((await olga.req("DELETE", `/api/tokens/${t.token.id}`)).status).toBe(200);
    const after = await bearer(t.value, "GET", "/api/machines");
    expect(after.status).toBe(401);
    expect((await after.json()).error.message).toContain("revoked");
    // Admins see and revoke anyone's.
    const other = await create(olga, "admin-revokes", ["vm.read"]);
    const all = await admin.req("GET", "/api/tokens?scope=all");
    expect(all.json.tokens.map((x: { owner: string; name: string }) => `${x.owner}:${x.name}`)).toContain("olga:admin-revokes");
    expect((await olga.req("GET", "/api/tokens?scope=all")).status).toBe(403);
    expect((await admin.req("DELETE", `/api/tokens/${other.token.id}`)).status).toBe(200);
    expect((await bearer(other.value, "GET", "/api/machines")).status).toBe(401);
    // Expired: the expiry is moved into the past in the database (no waiting a day).
    const old = await create(olga, "old", ["vm.read"]);
    const db = new Database(path.join(srv.dir, "hangar.db"));
    // Stored as the adapter stores DateTime (epoch ms or ISO text): write the past the same way.
    const { expiresAt } = db.prepare("SELECT expiresAt FROM ApiToken WHERE id = ?").get(old.token.id) as { expiresAt: number | string };
    const past = Date.now() - 1000;
    db.prepare("UPDATE ApiToken SET expiresAt = ? WHERE id = ?").run(
      typeof expiresAt === "number" ? past : new Date(past).toISOString(),
      old.token.id,
    );
    db.close();
    const exp = await bearer(old.value, "GET", "/api/machines");
    expect(exp.status).toBe(401);
    expect((await exp.json()).error.message).toContain("expired");
    expect((await bearer("hgr_" + "x".repeat(43), "GET", "/api/machines")).status).toBe(401);
  });

  it("stops working while its owner is disabled, and works again once re-enabled", async () => {
    const u = await admin.req("POST", "/api/users", { username: "dora", password: "a long enough password", role: "operator" });
    const dora = new Client(srv.url);
    await dora.req("POST", "/api/auth/login", { username: "dora", password: "a long enough password" });
    const t = await create(dora, "dora's", ["vm.read"]);
    expect((await bearer(t.value, "GET", "/api/machines")).status).toBe(200);
    expect((await admin.req("PUT", `/api/users/${u.json.user.id}/status`, { disabled: true })).status).toBe(200);
    const off = await bearer(t.value, "GET", "/api/machines");
    expect(off.status).toBe(401);
    expect((await off.json()).error.message).toContain("disabled");
    expect((await admin.req("PUT", `/api/users/${u.json.user.id}/status`, { disabled: false })).status).toBe(200);
    expect((await bearer(t.value, "GET", "/api/machines")).status).toBe(200);
  });

  it("works on /metrics with host.read + vm.read, and not without", async () => {
    const ok = await create(admin, "prom", ["host.read", "vm.read"]);
    const r = await bearer(ok.value, "GET", "/metrics");
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toContain("text/plain");
    const no = await create(admin, "prom-less", ["vm.read"]);
    expect((await bearer(no.value, "GET", "/metrics")).status).toBe(403);
    expect((await bearer("hgr_" + "y".repeat(43), "GET", "/metrics")).status).toBe(401);
    // A session cookie alone is not a metrics credential (and HANGAR_METRICS_TOKEN is unset here).
    expect((await fetch(srv.url + "/metrics", { headers: { Cookie: admin.cookie } })).status).toBe(404);
  });

  it("audits create, revoke and failed use, and no value appears in an audit row or the server log", async () => {
    const events = (await admin.req("GET", "/api/audit?limit=500")).json.events as { action: string; outcome: string; detailsJson?: string }[];
    const actions = events.map((e) => `${e.action}:${e.outcome}`);
    expect(actions).toEqual(expect.arrayContaining(["token.create:success", "token.revoke:success", "token.use:failure", "token.use:denied"]));
    // The audit table itself, every column, and everything the server printed.
    const db = new Database(path.join(srv.dir, "hangar.db"), { readonly: true });
    const rows = JSON.stringify(db.prepare("SELECT * FROM AuditEvent").all());
    const tokenRows = JSON.stringify(db.prepare("SELECT * FROM ApiToken").all());
    db.close();
    const logs = srv.logs();
    expect(values.length).toBeGreaterThan(8);
    for (const v of values) {
      expect(rows).not.toContain(v);
      expect(tokenRows).not.toContain(v);
      expect(logs).not.toContain(v);
      // Not even the secret part without its prefix.
      expect(rows).not.toContain(v.slice(8));
      expect(logs).not.toContain(v.slice(8));
    }
    expect(fs.existsSync(srv.dir)).toBe(true);
  });
});
