// Invitations, disabling users and password reset links (issue 14 point 3), against the
// real built server: one-time links stored hashed, refused once used, expired or revoked
// (410; 404 when unknown); a disabled user's next request is 401 and their websockets
// close; the last enabled admin stays; a reset link works once and ends every session.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN, Client, startWithAdmin, type TestServer } from "../helpers/server";
import { closed, nextMessage, tryUpgrade } from "../helpers/ws";

const PW = "a long enough password";

describe("invitations, disabling and reset links", () => {
  let srv: TestServer;
  let admin: Client;
  const tokens: string[] = [];

  const invite = async (role: string, expiresInSeconds?: number) => {
    const r = await admin.req("POST", "/api/invitations", { role, ...(expiresInSeconds ? { expiresInSeconds } : {}) });
    expect(r.status).toBe(201);
    tokens.push(r.json.token);
    return r.json as { token: string; path: string; url: string; invitation: { id: string; role: string; expiresAt: string } };
  };
  const accept = (c: Client, token: string, username: string, password = PW) =>
    c.req("POST", "/api/invitations/accept", { token, username, password });
  const signIn = (c: Client, username: string, password = PW) => c.req("POST", "/api/auth/login", { username, password });
  const userId = async (username: string) =>
    ((await admin.req("GET", "/api/users")).json.users as { id: string; username: string }[]).find((u) => u.username === username)!.id;

  beforeAll(async () => {
    ({ srv, admin } = await startWithAdmin());
  });
  afterAll(async () => {
    await srv?.stop();
  });

  it("an invitation link signs the invitee in with the chosen role, once", async () => {
    const inv = await invite("operator");
    expect(inv.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(inv.path).toBe(`/invite/${inv.token}`);
    expect(inv.invitation.role).toBe("operator");
    const pending = (await admin.req("GET", "/api/invitations")).json.invitations as { id: string }[];
    expect(pending.map((p) => p.id)).toContain(inv.invitation.id);
    // The page outside the shell shows the form for a valid link.
    const page = await fetch(srv.url + inv.path);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Join Hangar");

    const olga = new Client(srv.url);
    const ok = await accept(olga, inv.token, "olga");
    expect(ok.status).toBe(201);
    expect(olga.cookie).toMatch(/^hangar_session=/);
    const me = (await olga.req("GET", "/api/auth/me")).json.user;
    expect(me).toMatchObject({ username: "olga", role: "operator", disabled: false });

    const again = await accept(new Client(srv.url), inv.token, "olga2");
    expect(again.status).toBe(410);
    expect(again.json.error.message).toMatch(/already used/);
    expect(again.json.error.fields.token).toBe("used");
    expect(await (await fetch(srv.url + inv.path)).text()).toContain("Link already used");
    expect((await admin.req("GET", "/api/invitations")).json.invitations.map((p: { id: string }) => p.id)).not.toContain(inv.invitation.id);
    // An unknown token is 404, not 410.
    expect((await accept(new Client(srv.url), "A".repeat(43), "nobody")).status).toBe(404);
    expect((await admin.req("GET", "/api/users")).json.users.map((u: { username: string }) => u.username)).toEqual(["admin", "olga"]);
  });

  it("refuses bad input and leaves the link usable", async () => {
    const bad = await admin.req("POST", "/api/invitations", { role: "root", expiresInSeconds: 0 });
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.json.error.fields).sort()).toEqual(["expiresInSeconds", "role"]);
    const inv = await invite("viewer");
    const short = await accept(new Client(srv.url), inv.token, "vic", "short");
    expect(short.status).toBe(422);
    expect(short.json.error.fields.password).toMatch(/12/);
    const taken = await accept(new Client(srv.url), inv.token, "olga");
    expect(taken.status).toBe(409);
    expect(taken.json.error.fields.username).toBeTruthy();
    const vic = new Client(srv.url);
    expect((await accept(vic, inv.token, "vic")).status).toBe(201);
    expect((await vic.req("GET", "/api/auth/me")).json.user.role).toBe("viewer");
    // Invitations are for user.manage holders only.
    expect((await vic.req("GET", "/api/invitations")).status).toBe(403);
    expect((await vic.req("POST", "/api/invitations", { role: "admin" })).status).toBe(403);
  });

  it("an expired invitation is refused (410) and no longer pending", async () => {
    const inv = await invite("viewer", 1);
    await new Promise((r) => setTimeout(r, 1500));
    const r = await accept(new Client(srv.url), inv.token, "late");
    expect(r.status).toBe(410);
    expect(r.json.error.message).toMatch(/expired/);
    expect((await admin.req("GET", "/api/invitations")).json.invitations.map((p: { id: string }) => p.id)).not.toContain(inv.invitation.id);
    expect(await (await fetch(srv.url + inv.path)).text()).toContain("Link expired");
  });

  it("a revoked invitation is refused (410)", async () => {
    const inv = await invite("admin");
    expect((await admin.req("DELETE", `/api/invitations/${inv.invitation.id}`)).status).toBe(200);
    expect((await admin.req("DELETE", `/api/invitations/${inv.invitation.id}`)).status).toBe(404);
    const r = await accept(new Client(srv.url), inv.token, "mallory");
    expect(r.status).toBe(410);
    expect(r.json.error.message).toMatch(/revoked/);
    expect(await (await fetch(srv.url + inv.path)).text()).toContain("Link revoked");
  });

  it("disabling a user ends their next request and closes their websocket; re-enabling lets them back", async () => {
    const olga = new Client(srv.url);
    expect((await signIn(olga, "olga")).status).toBe(200);
    const sock = await tryUpgrade(srv.url, "/ws/events", { Origin: srv.url, Cookie: olga.cookie });
    expect(sock.status).toBe(101);
    expect((await nextMessage(sock.ws!)).type).toBe("hello");
    const closing = closed(sock.ws!);
    const t0 = performance.now();
    const off = await admin.req("PUT", `/api/users/${await userId("olga")}/status`, { disabled: true });
    expect(off.status).toBe(200);
    expect(off.json.user.disabled).toBe(true);
    const { code } = await closing;
    console.log(`[figure] disable → websocket closed after ${(performance.now() - t0).toFixed(1)} ms`);
    expect(code).toBe(4401);
    expect((await olga.req("GET", "/api/machines")).status).toBe(401);
    // Correct password: told the account is disabled. Wrong password: the generic message.
    const denied = await signIn(new Client(srv.url), "olga");
    expect(denied.status).toBe(403);
    expect(denied.json.error.message).toMatch(/disabled/);
    const wrong = await signIn(new Client(srv.url), "olga", "not her password at all");
    expect(wrong.status).toBe(401);
    expect(wrong.json.error.message).toBe("Wrong username or password");
    expect((await tryUpgrade(srv.url, "/ws/events", { Origin: srv.url, Cookie: olga.cookie })).status).toBe(401);

    const on = await admin.req("PUT", `/api/users/${await userId("olga")}/status`, { disabled: false });
    expect(on.json.user.disabled).toBe(false);
    expect((await signIn(olga, "olga")).status).toBe(200);
    expect((await olga.req("GET", "/api/machines")).status).toBe(200);
    expect((await admin.req("PUT", `/api/users/${await userId("olga")}/status`, { disabled: "yes" })).status).toBe(422);
    expect((await admin.req("PUT", "/api/users/nobody/status", { disabled: true })).status).toBe(404);
  });

  it("keeps the last enabled admin: it cannot be disabled, demoted or removed", async () => {
    const me = (await admin.req("GET", "/api/auth/me")).json.user.id;
    const self = await admin.req("PUT", `/api/users/${me}/status`, { disabled: true });
    expect(self.status).toBe(409);
    const inv = await invite("admin");
    const ada = new Client(srv.url);
    expect((await accept(ada, inv.token, "ada")).status).toBe(201);
    const adaId = await userId("ada");
    // With ada disabled, admin is the only enabled admin again.
    expect((await admin.req("PUT", `/api/users/${adaId}/status`, { disabled: true })).status).toBe(200);
    const demote = await admin.req("PATCH", `/api/users/${me}`, { role: "viewer" });
    expect(demote.status).toBe(409);
    expect(demote.json.error.message).toContain("at least one admin");
    expect((await admin.req("PUT", `/api/users/${adaId}/status`, { disabled: false })).status).toBe(200);
    // Now ada may disable admin, and then admin (the last enabled one besides ada) stays.
    expect((await signIn(ada, "ada")).status).toBe(200);
    expect((await ada.req("PUT", `/api/users/${me}/status`, { disabled: true })).status).toBe(200);
    expect((await admin.req("GET", "/api/auth/me")).status).toBe(401);
    expect((await ada.req("PATCH", `/api/users/${adaId}`, { role: "operator" })).status).toBe(409);
    expect((await ada.req("PUT", `/api/users/${me}/status`, { disabled: false })).status).toBe(200);
    expect((await signIn(admin, ADMIN.username, ADMIN.password)).status).toBe(200);
  });

  it("a reset link sets a new password once and ends every session of that user", async () => {
    const vicId = await userId("vic");
    const vic = new Client(srv.url);
    expect((await signIn(vic, "vic")).status).toBe(200);
    const sock = await tryUpgrade(srv.url, "/ws/events", { Origin: srv.url, Cookie: vic.cookie });
    await nextMessage(sock.ws!);
    const closing = closed(sock.ws!);

    const first = await admin.req("POST", `/api/users/${vicId}/reset-link`, {});
    expect(first.status).toBe(201);
    tokens.push(first.json.token);
    const link = await admin.req("POST", `/api/users/${vicId}/reset-link`, { expiresInSeconds: 3600 });
    tokens.push(link.json.token);
    expect(link.json.path).toBe(`/reset/${link.json.token}`);
    expect(Date.parse(link.json.expiresAt) - Date.now()).toBeLessThanOrEqual(3600_000);
    // A newer link for the same user revokes the older one.
    const older = await new Client(srv.url).req("POST", "/api/password-reset", { token: first.json.token, password: "the older link's password" });
    expect(older.status).toBe(410);
    expect(await (await fetch(srv.url + link.json.path)).text()).toContain("New password for vic");

    const anon = new Client(srv.url);
    expect((await anon.req("POST", "/api/password-reset", { token: link.json.token, password: "short" })).status).toBe(422);
    const done = await anon.req("POST", "/api/password-reset", { token: link.json.token, password: "vic's brand new password" });
    expect(done.status).toBe(200);
    // Two: the session the invitation opened and the one signed in above.
    expect(done.json).toEqual({ username: "vic", sessionsRevoked: 2 });
    expect((await closing).code).toBe(4401);
    expect((await vic.req("GET", "/api/auth/me")).status).toBe(401);
    expect((await signIn(new Client(srv.url), "vic")).status).toBe(401);
    expect((await signIn(new Client(srv.url), "vic", "vic's brand new password")).status).toBe(200);
    const reuse = await anon.req("POST", "/api/password-reset", { token: link.json.token, password: "yet another password" });
    expect(reuse.status).toBe(410);
    expect((await signIn(new Client(srv.url), "vic", "vic's brand new password")).status).toBe(200);
    expect(await (await fetch(srv.url + link.json.path)).text()).toContain("Link already used");
    expect((await vic.req("POST", `/api/users/${vicId}/reset-link`, {})).status).toBe(401);
  });

  it("an invitation may name a group: the invitee joins it and holds only what it gives", async () => {
    const g = await admin.req("POST", "/api/groups", { name: "night shift" });
    expect(g.status).toBe(201);
    const grant = { subject: { type: "group", id: g.json.group.id }, role: "viewer", scope: { type: "tag", id: "night" } };
    expect((await admin.req("POST", "/api/assignments", grant)).status).toBe(201);
    const unknown = await admin.req("POST", "/api/invitations", { role: "none", groupId: "no-such-group" });
    expect(unknown.status).toBe(404);
    expect(unknown.json.error.fields).toEqual({ groupId: "unknown group" });
    const r = await admin.req("POST", "/api/invitations", { role: "none", groupId: g.json.group.id });
    expect(r.status).toBe(201);
    tokens.push(r.json.token);
    expect(r.json.invitation).toMatchObject({ role: "none", groupId: g.json.group.id });
    const nina = new Client(srv.url);
    expect((await accept(nina, r.json.token, "nina")).status).toBe(201);
    const me = (await nina.req("GET", "/api/auth/me")).json;
    expect(me.user.role).toBe("none");
    expect(me.grants).toMatchObject({ global: [], tags: { night: expect.arrayContaining(["vm.read", "host.read"]) } });
    const groups = (await admin.req("GET", "/api/groups")).json.groups as { name: string; members: { username: string }[] }[];
    expect(groups.find((x) => x.name === "night shift")!.members.map((m) => m.username)).toEqual(["nina"]);
  });

  it("audits every step, and no secret reaches the audit log", async () => {
    const events = (await admin.req("GET", "/api/audit?limit=500")).json.events as { action: string; outcome: string }[];
    const actions = new Set(events.map((e) => `${e.action}:${e.outcome}`));
    for (const a of [
      "invitation.create:success",
      "invitation.accept:success",
      "invitation.accept:denied",
      "invitation.revoke:success",
      "user.disable:success",
      "user.enable:success",
      "auth.login:denied",
      "user.reset_link:success",
      "user.password_reset:success",
      "user.password_reset:denied",
    ])
      expect(actions, a).toContain(a);
    const csv = await (await fetch(`${srv.url}/api/audit/export`, { headers: { Cookie: admin.cookie } })).text();
    const everything = JSON.stringify(events) + csv + srv.logs();
    for (const t of tokens) expect(everything).not.toContain(t);
  });
});
