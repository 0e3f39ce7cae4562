// OIDC sign-in against a real OpenID provider (oidc-provider on a loopback port): the whole
// code flow with PKCE, as a browser does it (redirects, the provider's login form, cookies
// on both sides). Groups from the provider's groups claim become Hangar group memberships,
// whose role assignments decide what the account may do; a forged or mixed-up answer
// (state, nonce, another browser, a provider error) signs nobody in and is audited.
import path from "node:path";
import crypto from "node:crypto";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN, Client, startWithAdmin, type TestServer } from "../helpers/server";
import { CookieJar, planProvider, signInAtProvider, startOidcProvider, type ProviderPlan, type TestProvider } from "../helpers/oidc-provider";

const UUID = "11111111-2222-3333-4444-555555555555";
const GROUP_MAP = "ops=ops-team,view=view-team";

describe("OIDC sign-in", () => {
  let plan: ProviderPlan;
  let idp: TestProvider;
  let srv: TestServer;
  let admin: Client;
  const callback = () => `${srv.url}/api/auth/oidc/callback`;

  beforeAll(async () => {
    plan = await planProvider();
    ({ srv, admin } = await startWithAdmin(plan.env(GROUP_MAP)));
    idp = await startOidcProvider(plan, callback(), {
      alice: { preferredUsername: "alice", groups: ["ops", "unmapped"] },
      victor: { preferredUsername: "victor", groups: ["view"] },
      carol: { preferredUsername: "Carol Smith", groups: [] },
    });
  }, 60_000);
  afterAll(async () => {
    await srv?.stop();
    await idp?.close();
  });

  const sql = <T>(fn: (db: Database.Database) => T): T => {
    const db = new Database(path.join(srv.dir, "hangar.db"));
    try {
      return fn(db);
    } finally {
      db.close();
    }
  };
  const lastAudit = () =>
    sql((db) => db.prepare("SELECT actor, action, outcome, detailsJson FROM AuditEvent ORDER BY rowid DESC LIMIT 1").get()) as {
      actor: string;
      action: string;
      outcome: string;
      detailsJson: string;
    };

  /** Start → provider login → the provider's redirect back, with hooks to tamper on the way. */
  async function throughProvider(login: string, tamper: (auth: URL) => void = () => undefined) {
    const jar = new CookieJar();
    const start = await jar.fetch(`${srv.url}/api/auth/oidc/start?next=/machines`);
    expect(start.status).toBe(303);
    const auth = new URL(start.headers.get("location")!);
    expect(auth.origin).toBe(plan.issuer);
    expect(auth.searchParams.get("code_challenge_method")).toBe("S256");
    tamper(auth);
    return { jar, back: await signInAtProvider(jar, auth.href, login, callback()) };
  }

  async function signIn(login: string) {
    const { jar, back } = await throughProvider(login);
    const res = await jar.fetch(back.href);
    return { jar, res, html: await res.text() };
  }

  const api = (jar: CookieJar, method: string, p: string, body?: unknown) =>
    jar.fetch(srv.url + p, {
      method,
      headers: { Origin: srv.url, ...(method === "GET" ? {} : { "X-Hangar-CSRF": "1", "Content-Type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const power = (jar: CookieJar) => api(jar, "POST", `/api/machines/no-host/${UUID}/actions`, { action: "start" });
  const me = async (jar: CookieJar) => (await (await api(jar, "GET", "/api/auth/me")).json()) as { user: { username: string; role: string } };

  function refusedTo(res: Response, reason: string) {
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`/login?oidc_error=${reason}`);
    expect(res.headers.getSetCookie().some((c) => c.startsWith("hangar_session="))).toBe(false);
  }

  it("offers the provider on the sign-in page and groups from the map exist", async () => {
    const page = await (await fetch(`${srv.url}/login`)).text();
    // One message with the provider's label in it (the catalogue's auth.oidcButton).
    expect(page).toMatch(/Sign in with (<!-- -->)?Test IdP/);
    const groups = sql((db) => db.prepare('SELECT name, oidcClaim FROM "Group" ORDER BY name').all());
    expect(groups).toEqual([
      { name: "ops-team", oidcClaim: "ops" },
      { name: "view-team", oidcClaim: "view" },
    ]);
  });

  it("first sign-in creates a linked account with no role of its own, in its mapped groups", async () => {
    const { jar, res, html } = await signIn("alice");
    expect(res.status).toBe(200);
    expect(html).toContain('http-equiv="refresh" content="0;url=/machines"');
    expect((await me(jar)).user).toMatchObject({ username: "alice", role: "none" });
    const row = sql((db) => db.prepare("SELECT oidcIssuer, oidcSubject FROM User WHERE username = 'alice'").get());
    expect(row).toEqual({ oidcIssuer: plan.issuer, oidcSubject: "alice" });
    const groups = sql((db) =>
      db
        .prepare(
          "SELECT g.name, m.source FROM GroupMember m JOIN \"Group\" g ON g.id = m.groupId JOIN User u ON u.id = m.userId WHERE u.username = 'alice'",
        )
        .all(),
    );
    expect(groups).toEqual([{ name: "ops-team", source: "oidc" }]);
    const a = lastAudit();
    expect(a).toMatchObject({ actor: "alice", action: "auth.login", outcome: "success" });
    expect(JSON.parse(a.detailsJson)).toMatchObject({ method: "oidc", groups: ["ops-team"] });
    // No assignment yet for ops-team: the account may do nothing.
    expect((await power(jar)).status).toBe(403);
    // It has no local password: the local form refuses it like an unknown name.
    expect((await new Client(srv.url).req("POST", "/api/auth/login", { username: "alice", password: "!oidc" })).status).toBe(401);
  });

  it("rights come from the groups' assignments: operator acts, viewer cannot", async () => {
    // Assignments through the database (the groups API is another change), then a restart
    // so the server's access snapshot reads them.
    sql((db) => {
      const add = db.prepare(
        "INSERT INTO RoleAssignment (id, groupId, subjectKey, role, scopeType, scopeId, createdBy, createdAt) SELECT ?, id, 'group:' || id, ?, 'global', '', 'test', ? FROM \"Group\" WHERE name = ?",
      );
      add.run(crypto.randomUUID(), "operator", Date.now(), "ops-team");
      add.run(crypto.randomUUID(), "viewer", Date.now(), "view-team");
    });
    await srv.stop("SIGTERM", true);
    srv = await srv.restart();
    const alice = (await signIn("alice")).jar;
    // Past the permission check: the machine is unknown (404), not forbidden.
    expect((await power(alice)).status).toBe(404);
    const { jar: victor, res } = await signIn("victor");
    expect(res.status).toBe(200);
    expect((await me(victor)).user).toMatchObject({ username: "victor", role: "none" });
    expect((await api(victor, "GET", "/api/machines")).status).toBe(200);
    expect((await power(victor)).status).toBe(403);
  }, 60_000);

  it("each sign-in syncs the claim: oidc memberships follow it, manual ones stay", async () => {
    sql((db) => {
      db.prepare("INSERT INTO \"Group\" (id, name, description, createdAt) VALUES (?, 'hand-made', '', ?)").run("g-manual", Date.now());
      db.prepare("INSERT INTO GroupMember (groupId, userId, source) SELECT 'g-manual', id, 'manual' FROM User WHERE username = 'alice'").run();
    });
    idp.accounts.set("alice", { preferredUsername: "alice", groups: ["view"] });
    const { jar } = await signIn("alice");
    const groups = sql((db) =>
      db
        .prepare(
          "SELECT g.name, m.source FROM GroupMember m JOIN \"Group\" g ON g.id = m.groupId JOIN User u ON u.id = m.userId WHERE u.username = 'alice' ORDER BY g.name",
        )
        .all(),
    );
    expect(groups).toEqual([
      { name: "hand-made", source: "manual" },
      { name: "view-team", source: "oidc" },
    ]);
    // Now a viewer only: the reload after the sync applies at once.
    expect((await power(jar)).status).toBe(403);
    idp.accounts.set("alice", { preferredUsername: "alice", groups: ["ops"] });
  });

  it("makes a taken or invalid preferred_username valid and unique", async () => {
    expect((await admin.req("POST", "/api/users", { username: "Carol-Smith", password: "a long enough password", role: "viewer" })).status).toBe(201);
    const { jar } = await signIn("carol");
    expect((await me(jar)).user.username).toBe("Carol-Smith-2");
  });

  it("refuses a callback whose state does not match, and the flow is then spent", async () => {
    const { jar, back } = await throughProvider("alice");
    const forged = new URL(back);
    forged.searchParams.set("state", "forged-state");
    refusedTo(await jar.fetch(forged.href), "state");
    expect(lastAudit()).toMatchObject({ actor: "oidc", action: "auth.login", outcome: "denied" });
    expect(JSON.parse(lastAudit().detailsJson)).toMatchObject({ method: "oidc", reason: "state" });
    // The right state after a wrong one: single-use, so still refused.
    refusedTo(await jar.fetch(back.href), "state");
  });

  it("refuses the provider's answer in a browser that did not start the sign-in", async () => {
    const { back } = await throughProvider("alice");
    refusedTo(await new CookieJar().fetch(back.href), "state");
  });

  it("refuses an ID token issued for another nonce", async () => {
    // The provider signs a token for the nonce in the request it got: change it on the way.
    const { jar, back } = await throughProvider("alice", (auth) => auth.searchParams.set("nonce", "not-the-one-hangar-keeps"));
    refusedTo(await jar.fetch(back.href), "nonce");
    expect(JSON.parse(lastAudit().detailsJson)).toMatchObject({ method: "oidc", reason: "nonce" });
  });

  it("refuses and audits an error answer from the provider", async () => {
    // prompt=none without a provider session: the provider answers login_required.
    const { jar, back } = await throughProvider("alice", (auth) => auth.searchParams.set("prompt", "none"));
    expect(back.searchParams.get("error")).toBe("login_required");
    refusedTo(await jar.fetch(back.href), "provider");
    expect(lastAudit()).toMatchObject({ action: "auth.login", outcome: "failure" });
  });

  it("refuses a disabled linked account and ends its sessions", async () => {
    const { jar } = await signIn("victor");
    const users = (await admin.req("GET", "/api/users")).json.users as { id: string; username: string }[];
    const victor = users.find((u) => u.username === "victor")!;
    expect((await admin.req("PUT", `/api/users/${victor.id}/status`, { disabled: true })).status).toBe(200);
    expect((await api(jar, "GET", "/api/auth/me")).status).toBe(401);
    const again = await signIn("victor");
    refusedTo(again.res, "disabled");
    expect(lastAudit()).toMatchObject({ actor: "victor", action: "auth.login", outcome: "denied" });
    const page = await (await fetch(`${srv.url}/login?oidc_error=disabled`)).text();
    expect(page).toContain("This account is disabled");
  });
});

describe("OIDC sign-in with the provider down", () => {
  it("sends the browser back to the sign-in page saying so, and local sign-in still works", async () => {
    const plan = await planProvider(); // planned, never started: nothing listens on its port
    const { srv } = await startWithAdmin(plan.env(""));
    try {
      const start = await new CookieJar().fetch(`${srv.url}/api/auth/oidc/start`);
      expect(start.status).toBe(303);
      expect(start.headers.get("location")).toBe("/login?oidc_error=unavailable");
      expect((await new Client(srv.url).req("POST", "/api/auth/login", ADMIN)).status).toBe(200);
      expect(await (await fetch(`${srv.url}/login?oidc_error=unavailable`)).text()).toContain("the identity provider did not answer");
    } finally {
      await srv.stop();
    }
  });
});
