// TOTP second factor against the real built server, codes computed with otpauth as an
// authenticator app would: enrolment confirmed by a code, the two-step sign-in, wrong and
// replayed codes refused, single-use recovery codes, "required for a role" forcing
// enrolment (REST and sockets), admin reset, disable, and the throttle (20 quick tries → 429).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, startWithAdmin, type TestServer } from "../helpers/server";
import { tryUpgrade } from "../helpers/ws";
import { EventRecorder } from "../helpers/events";
import { freshCode, wrongCode } from "../helpers/totp";

const PASSWORD = "a long enough password";

describe("TOTP second factor", () => {
  let srv: TestServer;
  let admin: Client;
  const ids: Record<string, string> = {};
  const secret: Record<string, string> = {};
  const last: Record<string, { step: number | null }> = {};
  let recovery: string[] = [];

  const signIn = async (username: string) => {
    const c = new Client(srv.url);
    const r = await c.req("POST", "/api/auth/login", { username, password: PASSWORD });
    return { c, r };
  };
  /** Enrols a signed-in client's user; the first fresh code confirms it. */
  const enrol = async (c: Client, username: string) => {
    const start = await c.req("POST", "/api/auth/totp");
    expect(start.status, JSON.stringify(start.json)).toBe(200);
    secret[username] = start.json.secret;
    last[username] = { step: null };
    const done = await c.req("POST", "/api/auth/totp/confirm", { code: await freshCode(secret[username]!, last[username]!) });
    expect(done.status, JSON.stringify(done.json)).toBe(200);
    return { start: start.json, recoveryCodes: done.json.recoveryCodes as string[] };
  };

  beforeAll(async () => {
    ({ srv, admin } = await startWithAdmin());
    for (const [username, role] of [
      ["tara", "operator"],
      ["vic", "viewer"],
      ["thr", "operator"],
    ] as const) {
      const r = await admin.req("POST", "/api/users", { username, password: PASSWORD, role });
      expect(r.status).toBe(201);
      ids[username] = r.json.user.id;
    }
  });
  afterAll(async () => {
    await srv?.stop();
  });

  it("enrols: QR and secret shown, a wrong code does not enable it, a right one does and yields 10 recovery codes", async () => {
    const { c, r } = await signIn("tara");
    expect(r.status).toBe(200);
    const start = await c.req("POST", "/api/auth/totp");
    expect(start.status).toBe(200);
    expect(start.json.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(start.json.uri).toMatch(/^otpauth:\/\/totp\/Hangar:tara\?/);
    expect(start.json.qr).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(Buffer.from(start.json.qr.split(",")[1], "base64").toString()).toContain("<svg");
    secret.tara = start.json.secret;
    last.tara = { step: null };
    const wrong = await c.req("POST", "/api/auth/totp/confirm", { code: wrongCode(secret.tara!) });
    expect(wrong.status).toBe(422);
    expect(wrong.json.error.fields.code).toBeTruthy();
    expect((await c.req("GET", "/api/auth/totp")).json.enabled).toBe(false);
    expect((await c.req("POST", "/api/auth/totp/confirm", { code: "12ab" })).status).toBe(422);
    const ok = await c.req("POST", "/api/auth/totp/confirm", { code: await freshCode(secret.tara!, last.tara!) });
    expect(ok.status).toBe(200);
    recovery = ok.json.recoveryCodes;
    expect(recovery).toHaveLength(10);
    expect(new Set(recovery).size).toBe(10);
    expect(await c.req("GET", "/api/auth/totp").then((x) => x.json)).toMatchObject({ enabled: true, recoveryCodesLeft: 10 });
    // Once on, a second enrolment is refused (turn it off first).
    expect((await c.req("POST", "/api/auth/totp")).status).toBe(409);
  });

  it("asks for the code after the password; a wrong code is refused, a right one signs in, and it cannot be replayed", async () => {
    const { c, r } = await signIn("tara");
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ totpRequired: true, challenge: expect.any(String) });
    expect(r.headers.get("set-cookie")).toBeNull();
    // No session yet: the password alone gets nothing.
    expect((await c.req("GET", "/api/auth/me")).status).toBe(401);
    const bad = await c.req("POST", "/api/auth/login/totp", { challenge: r.json.challenge, code: wrongCode(secret.tara!) });
    expect(bad.status).toBe(401);
    const code = await freshCode(secret.tara!, last.tara!);
    const good = await c.req("POST", "/api/auth/login/totp", { challenge: r.json.challenge, code });
    expect(good.status).toBe(200);
    expect((await c.req("GET", "/api/auth/me")).json.user.username).toBe("tara");
    // The challenge is single-use, and the same code with a new challenge is a replay.
    expect((await c.req("POST", "/api/auth/login/totp", { challenge: r.json.challenge, code })).status).toBe(401);
    const again = await signIn("tara");
    const replay = await again.c.req("POST", "/api/auth/login/totp", { challenge: again.r.json.challenge, code });
    expect(replay.status).toBe(401);
    expect(replay.json.error.message).toContain("already used");
    // A made-up challenge, and both factors at once, are refused.
    expect((await c.req("POST", "/api/auth/login/totp", { challenge: "nope", code: "123456" })).status).toBe(401);
    expect(
      (await c.req("POST", "/api/auth/login/totp", { challenge: again.r.json.challenge, code: "123456", recoveryCode: recovery[0] })).status,
    ).toBe(422);
  });

  it("a recovery code works once, then not again", async () => {
    const first = await signIn("tara");
    const used = await first.c.req("POST", "/api/auth/login/totp", { challenge: first.r.json.challenge, recoveryCode: recovery[0]!.toUpperCase() });
    expect(used.status).toBe(200);
    expect((await first.c.req("GET", "/api/auth/totp")).json.recoveryCodesLeft).toBe(9);
    const second = await signIn("tara");
    expect((await second.c.req("POST", "/api/auth/login/totp", { challenge: second.r.json.challenge, recoveryCode: recovery[0] })).status).toBe(401);
    // Turning it off needs a factor too; another recovery code does it.
    expect((await first.c.req("POST", "/api/auth/totp/disable", { recoveryCode: recovery[0] })).status).toBe(422);
    expect((await first.c.req("POST", "/api/auth/totp/disable", { recoveryCode: recovery[1] })).status).toBe(200);
    expect((await first.c.req("GET", "/api/auth/totp")).json.enabled).toBe(false);
    const plain = await signIn("tara");
    expect(plain.r.json.user.username).toBe("tara");
  });

  it("required for a role: its users are sent to enrolment and can do nothing else until enrolled", async () => {
    const { c: vic } = await signIn("vic");
    expect((await vic.req("GET", "/api/machines")).status).toBe(200);
    // An events socket open before the policy changes is closed by it, with the "enrol" code.
    const rec = await EventRecorder.open(srv.url, vic.cookie);
    const closedWith = new Promise<number>((r) => rec.ws.once("close", (code) => r(code)));
    expect((await vic.req("PUT", "/api/auth/totp/policy", { requireAll: false, roles: ["viewer"] })).status).toBe(403);
    expect((await admin.req("PUT", "/api/auth/totp/policy", { requireAll: false, roles: ["superuser"] })).status).toBe(422);
    const set = await admin.req("PUT", "/api/auth/totp/policy", { requireAll: false, roles: ["viewer"] });
    expect(set.status).toBe(200);
    expect(set.json).toEqual({ requireAll: false, roles: ["viewer"] });
    expect(await closedWith).toBe(4409);
    // The next request of the already signed-in viewer: refused, pointing at enrolment.
    const refused = await vic.req("GET", "/api/machines");
    expect(refused.status).toBe(403);
    expect(refused.json.error.fields.totp).toBe("enrolment required");
    expect((await vic.req("GET", "/api/sessions")).status).toBe(403);
    expect((await tryUpgrade(srv.url, "/ws/events", { Cookie: vic.cookie, Origin: srv.url })).status).toBe(403);
    expect((await vic.req("GET", "/api/auth/me")).status).toBe(200);
    expect((await vic.req("GET", "/api/auth/totp")).json).toMatchObject({ enabled: false, required: true, mustEnrol: true });
    // A page sends them to enrolment too.
    const page = await fetch(srv.url + "/machines", { headers: { Cookie: vic.cookie }, redirect: "manual" });
    expect([307, 308]).toContain(page.status);
    expect(page.headers.get("location")).toContain("/enrol-totp");
    // Others are not affected.
    expect((await admin.req("GET", "/api/machines")).status).toBe(200);
    await enrol(vic, "vic");
    expect((await vic.req("GET", "/api/machines")).status).toBe(200);
    // Required: it cannot be turned off by the user.
    expect((await vic.req("POST", "/api/auth/totp/disable", { code: "123456" })).status).toBe(403);
    // Admin reset (lost phone): back to enrolment.
    expect((await admin.req("DELETE", `/api/users/${ids.vic}/totp`)).status).toBe(200);
    expect((await vic.req("GET", "/api/machines")).status).toBe(403);
    // "Everyone" covers admins as well; clearing the policy frees them.
    expect((await admin.req("PUT", "/api/auth/totp/policy", { requireAll: true, roles: [] })).status).toBe(200);
    expect((await admin.req("GET", "/api/machines")).status).toBe(403);
    expect((await admin.req("PUT", "/api/auth/totp/policy", { requireAll: false, roles: [] })).status).toBe(403);
  });

  it("the admin clears a policy that locked everyone out only after enrolling (so the gate is real)", async () => {
    const { recoveryCodes } = await enrol(admin, "admin");
    expect(recoveryCodes).toHaveLength(10);
    expect((await admin.req("PUT", "/api/auth/totp/policy", { requireAll: false, roles: [] })).status).toBe(200);
    expect((await admin.req("GET", "/api/machines")).status).toBe(200);
  });

  it("throttles wrong codes like passwords: 20 quick tries end in 429", async () => {
    const { c } = await signIn("thr");
    await enrol(c, "thr");
    const { r } = await signIn("thr");
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) {
      const x = await c.req("POST", "/api/auth/login/totp", { challenge: r.json.challenge, code: wrongCode(secret.thr!) });
      statuses.push(x.status);
    }
    expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
    expect(statuses.at(-1)).toBe(429);
    // Throttled means even the right code is refused now.
    const right = await c.req("POST", "/api/auth/login/totp", { challenge: r.json.challenge, code: await freshCode(secret.thr!, last.thr!) });
    expect(right.status).toBe(429);
    expect(right.headers.get("retry-after")).toMatch(/^\d+$/);
  });

  it("audits it all", async () => {
    const events = (await admin.req("GET", "/api/audit?limit=500")).json.events as { action: string; outcome: string }[];
    const actions = new Set(events.map((e) => `${e.action}:${e.outcome}`));
    for (const a of [
      "totp.enrol_start:success",
      "totp.enable:success",
      "totp.enrol_confirm:failure",
      "auth.password:success",
      "auth.totp:failure",
      "auth.totp:denied",
      "auth.login:success",
      "totp.disable:success",
      "totp.policy:success",
      "totp.reset:success",
    ])
      expect(actions, a).toContain(a);
    const logs = srv.logs();
    for (const s of Object.values(secret)) expect(logs).not.toContain(s);
    for (const code of recovery) expect(logs).not.toContain(code);
  });
});
