// Team accounts and roles: admins add users with a role; operators run the fleet but cannot
// add hosts, delete machines or manage users; viewers change nothing; the last admin stays;
// removing a user ends their sessions and closes their sockets.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, startWithAdmin, type TestServer } from "../helpers/server";
import { EventRecorder } from "../helpers/events";

const UUID = "11111111-2222-3333-4444-555555555555";

describe("team roles", () => {
  let srv: TestServer;
  let admin: Client;
  const ids: Record<string, string> = {};
  const as: Record<string, Client> = {};

  beforeAll(async () => {
    ({ srv, admin } = await startWithAdmin());
    for (const [username, role] of [
      ["olga", "operator"],
      ["vic", "viewer"],
    ] as const) {
      const r = await admin.req("POST", "/api/users", { username, password: "a long enough password", role });
      expect(r.status).toBe(201);
      ids[username] = r.json.user.id;
      as[username] = new Client(srv.url);
      expect((await as[username].req("POST", "/api/auth/login", { username, password: "a long enough password" })).status).toBe(200);
    }
  });
  afterAll(async () => {
    await srv?.stop();
  });

  it("validates new users and refuses duplicates", async () => {
    const bad = await admin.req("POST", "/api/users", { username: "x y", password: "short", role: "root" });
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.json.error.fields).sort()).toEqual(["password", "role", "username"]);
    expect((await admin.req("POST", "/api/users", { username: "olga", password: "a long enough password", role: "viewer" })).status).toBe(409);
    expect((await admin.req("GET", "/api/users")).json.users.map((u: { username: string; role: string }) => `${u.username}:${u.role}`)).toEqual([
      "admin:admin",
      "olga:operator",
      "vic:viewer",
    ]);
  });

  it("grants each role its permissions, checked on every request", async () => {
    const act = (c: Client, action: string) => c.req("POST", `/api/machines/no-host/${UUID}/actions`, { action });
    // Operators may act (here the machine is unknown: 404), but not delete machines.
    expect((await act(as.olga!, "start")).status).toBe(404);
    expect((await act(as.olga!, "undefine")).status).toBe(403);
    expect((await as.olga!.req("POST", "/api/hosts", { name: "nope" })).status).toBe(403);
    expect((await as.olga!.req("GET", "/api/users")).status).toBe(403);
    expect((await as.olga!.req("GET", "/api/audit")).status).toBe(403);
    // Viewers read, and change nothing.
    expect((await as.vic!.req("GET", "/api/machines")).status).toBe(200);
    expect((await as.vic!.req("GET", "/api/containers")).status).toBe(200);
    expect((await act(as.vic!, "start")).status).toBe(403);
    expect((await as.vic!.req("POST", `/api/machines/no-host/${UUID}/console`, { kind: "vnc" })).status).toBe(403);
    expect((await as.vic!.req("POST", "/api/containers/no-host", { image: "busybox" })).status).toBe(403);
    // A promotion takes effect on the next request, without signing in again.
    expect((await admin.req("PATCH", `/api/users/${ids.vic}`, { role: "operator" })).status).toBe(200);
    expect((await act(as.vic!, "start")).status).toBe(404);
    expect((await admin.req("PATCH", `/api/users/${ids.vic}`, { role: "viewer" })).status).toBe(200);
    expect((await admin.req("PATCH", `/api/users/${ids.vic}`, { role: "superuser" })).status).toBe(422);
  });

  it("keeps at least one admin, and you cannot remove yourself", async () => {
    const me = (await admin.req("GET", "/api/auth/me")).json.user.id;
    const demote = await admin.req("PATCH", `/api/users/${me}`, { role: "viewer" });
    expect(demote.status).toBe(409);
    expect(demote.json.error.message).toContain("at least one admin");
    expect((await admin.req("DELETE", `/api/users/${me}`)).status).toBe(409);
    expect((await admin.req("DELETE", "/api/users/nobody")).status).toBe(404);
  });

  it("removing a user ends their sessions and closes their sockets", async () => {
    const rec = await EventRecorder.open(srv.url, as.olga!.cookie);
    const closed = new Promise<number>((r) => rec.ws.once("close", (code) => r(code)));
    expect((await admin.req("DELETE", `/api/users/${ids.olga}`)).status).toBe(200);
    expect(await closed).toBe(4401);
    expect((await as.olga!.req("GET", "/api/machines")).status).toBe(401);
    const audit = (await admin.req("GET", "/api/audit")).json.events.map((e: { action: string }) => e.action);
    expect(audit).toEqual(expect.arrayContaining(["user.create", "user.role", "user.delete"]));
  });
});
