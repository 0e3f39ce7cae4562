// Bad input to every route that takes input: a clear 4xx naming the field, and nothing
// written (row counts unchanged).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN, Client, startWithAdmin, type TestServer } from "../helpers/server";

const HUGE = "x".repeat(1024 * 1024);
const UUID = "11111111-2222-3333-4444-555555555555";

interface Case {
  method: string;
  path: string;
  body?: unknown;
  raw?: string;
  status: number;
  field: string;
}

const CASES: Case[] = [
  { method: "POST", path: "/api/setup", body: { username: "a", password: "long enough password" }, status: 422, field: "token" },
  { method: "POST", path: "/api/auth/login", body: { password: "x" }, status: 422, field: "username" },
  { method: "POST", path: "/api/auth/login", body: { username: 42, password: "x" }, status: 422, field: "username" },
  { method: "POST", path: "/api/auth/login", body: { username: "admin", password: ["x"] }, status: 422, field: "password" },
  { method: "POST", path: "/api/auth/login", body: { username: HUGE, password: "x" }, status: 413, field: "body" },
  { method: "POST", path: "/api/auth/login", raw: "{not json", status: 400, field: "body" },
  { method: "POST", path: "/api/setup", body: { token: "t", username: "admin2", password: HUGE }, status: 413, field: "body" },
  {
    method: "POST",
    path: "/api/setup",
    body: { token: "t", username: "bad name!", password: "long enough password" },
    status: 422,
    field: "username",
  },
  { method: "GET", path: "/api/audit?limit=abc", status: 422, field: "limit" },
  { method: "GET", path: "/api/audit?limit=100000", status: 422, field: "limit" },
  { method: "DELETE", path: `/api/sessions/${"y".repeat(200)}`, status: 422, field: "id" },
  { method: "POST", path: "/api/hosts", body: { name: "bad name!" }, status: 422, field: "name" },
  { method: "POST", path: "/api/hosts", body: {}, status: 422, field: "name" },
  { method: "POST", path: "/api/hosts", body: { name: HUGE }, status: 413, field: "body" },
  { method: "POST", path: "/api/agent/enroll", body: { token: "short" }, status: 422, field: "token" },
  { method: "POST", path: "/api/agent/enroll", body: { token: "t".repeat(43), facts: { hostname: 5 } }, status: 422, field: "facts.hostname" },
  { method: "POST", path: `/api/machines/h1/not-a-uuid/actions`, body: { action: "start" }, status: 422, field: "uuid" },
  { method: "POST", path: `/api/machines/h1/${UUID}/actions`, body: { action: 5 }, status: 422, field: "action" },
  { method: "POST", path: `/api/machines/h1/${UUID}/actions`, body: { action: "autostart" }, status: 422, field: "enabled" },
  { method: "POST", path: `/api/machines/h1/${UUID}/console`, body: { kind: "rdp" }, status: 422, field: "kind" },
  { method: "GET", path: "/api/machines?limit=0", status: 422, field: "limit" },
  { method: "GET", path: "/api/machines?sort=color", status: 422, field: "sort" },
  { method: "GET", path: "/api/tasks?limit=x", status: 422, field: "limit" },
];

describe("bad input to every route", () => {
  let srv: TestServer;
  let admin: Client;
  beforeAll(async () => {
    ({ srv, admin } = await startWithAdmin());
  });
  afterAll(async () => {
    await srv.stop();
  });

  async function counts() {
    const audit = (await admin.req("GET", "/api/audit?limit=500")).json.events.length as number;
    const sessions = (await admin.req("GET", "/api/sessions")).json.sessions.length as number;
    const hosts = (await admin.req("GET", "/api/hosts")).json.hosts.length as number;
    const tasks = (await admin.req("GET", "/api/tasks")).json.tasks.length as number;
    return { audit, sessions, hosts, tasks };
  }

  for (const c of CASES) {
    it(`${c.method} ${c.path.slice(0, 40)} ${c.raw ? "raw" : JSON.stringify(c.body ?? "").slice(0, 40)} → ${c.status} naming ${c.field}`, async () => {
      const before = await counts();
      const r = await admin.req(c.method, c.path, c.raw ?? c.body);
      expect(r.status).toBe(c.status);
      expect(r.json.error.fields?.[c.field], JSON.stringify(r.json)).toBeTruthy();
      expect(r.json.error.message).not.toMatch(/at .*\.js/); // no stack trace
      expect(await counts()).toEqual(before);
    });
  }

  it("unknown API path → 404, wrong method → 405, and the server keeps serving", async () => {
    expect((await admin.req("GET", "/api/nope")).status).toBe(404);
    expect((await admin.req("PUT", "/api/auth/me", {})).status).toBe(405);
    expect((await new Client(srv.url).req("POST", "/api/auth/login", ADMIN)).status).toBe(200);
  });
});
