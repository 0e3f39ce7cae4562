// Refused sockets leave a trace: every refusal of a session, ticket, credential or
// permission on a websocket upgrade is one audit row with who (when known), what, from
// where and why; a flood writes a bounded number of rows. (Defect: a reused, foreign or
// expired console ticket was refused, rightly, but the audit log held only the opens.)
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN, Client, startWithAdmin, type TestServer } from "../helpers/server";
import { tryUpgrade } from "../helpers/ws";
import { ensureOff, until, virsh, labSuite } from "../helpers/lab";
import { openConsole, ticket } from "../helpers/console";

interface AuditRow {
  actor: string;
  action: string;
  target: string;
  outcome: string;
  ip: string;
  details: { reason?: string; status?: number; ticketUserId?: string; suppressed?: number };
}

async function refusals(admin: Client): Promise<AuditRow[]> {
  const events = (await admin.req("GET", "/api/audit?limit=500")).json.events as AuditRow[];
  return events.filter((e) => e.action === "socket.refused");
}

/** The refusal rows with this reason, once there is at least one and their number holds still. */
async function rowsFor(admin: Client, reason: string): Promise<AuditRow[]> {
  let last = -1;
  return until(
    `audit rows for ${reason}`,
    async () => {
      const rows = (await refusals(admin)).filter((r) => r.details.reason === reason);
      const settled = rows.length > 0 && rows.length === last;
      last = rows.length;
      return settled ? rows : null;
    },
    15_000,
    150,
  );
}

describe("refused sockets are audited", () => {
  let srv: TestServer;
  let admin: Client;
  beforeAll(async () => {
    ({ srv, admin } = await startWithAdmin());
  });
  afterAll(async () => {
    await srv?.stop();
  });

  it("no session, a forged session, a cross-origin upgrade: one row each, with the reason and the address", async () => {
    expect((await tryUpgrade(srv.url, "/ws/events", { Origin: srv.url })).status).toBe(401);
    expect((await tryUpgrade(srv.url, "/ws/events", { Origin: srv.url, Cookie: "hangar_session=forged-token-that-names-no-session" })).status).toBe(
      401,
    );
    expect((await tryUpgrade(srv.url, "/ws/events", { Origin: "https://evil.example", Cookie: admin.cookie })).status).toBe(403);
    const [missing] = await rowsFor(admin, "session-missing");
    expect(missing).toMatchObject({ actor: "anonymous", target: "/ws/events", outcome: "denied", ip: "127.0.0.1", details: { status: 401 } });
    expect(await rowsFor(admin, "session-invalid")).toHaveLength(1);
    expect(await rowsFor(admin, "cross-origin")).toHaveLength(1);
  });

  it("an unknown host credential on the agent sockets, a forged console ticket: one row each", async () => {
    expect((await tryUpgrade(srv.url, "/ws/agent", { Authorization: `Bearer ${"z".repeat(43)}` })).status).toBe(401);
    expect((await tryUpgrade(srv.url, "/ws/agent", {})).status).toBe(401);
    const data = await tryUpgrade(srv.url, "/ws/agent-data?channel=abcdefghijklmnop", { Authorization: `Bearer ${"y".repeat(43)}` });
    expect(data.status).toBe(401);
    expect((await openConsole(srv.url, admin.cookie, ["hangar.console", "ticket.forged-ticket"])).status).toBe(401);
    const unknown = await rowsFor(admin, "credential-unknown");
    expect(unknown.map((r) => r.target).sort()).toEqual(["/ws/agent", "/ws/agent-data"]);
    expect(unknown[0]).toMatchObject({ actor: "agent", outcome: "denied" });
    expect(await rowsFor(admin, "credential-missing")).toHaveLength(1);
    // The session is valid: the row names its user.
    expect(await rowsFor(admin, "ticket-unknown")).toEqual([expect.objectContaining({ actor: ADMIN.username, target: "/ws/console" })]);
  });

  it("a flood of 1,000 refused upgrades writes a bounded number of rows, and the server keeps serving", async () => {
    const before = (await refusals(admin)).length;
    for (let i = 0; i < 1000; i += 50) {
      const batch = await Promise.all(
        Array.from({ length: 50 }, () => tryUpgrade(srv.url, "/ws/events", { Origin: srv.url, Cookie: "hangar_session=flood" })),
      );
      expect(batch.every((r) => r.status === 401)).toBe(true);
    }
    const rows = await rowsFor(admin, "session-invalid");
    // One row from the first test; the flood adds at most the per-address allowance (5).
    expect(rows.length).toBeGreaterThan(1);
    expect(rows.length).toBeLessThanOrEqual(5);
    expect((await refusals(admin)).length - before).toBeLessThanOrEqual(5);
    expect((await admin.req("GET", "/api/auth/me")).status).toBe(200);
  });
});

labSuite("libvirt", "refused console tickets are audited (real guest)", () => {
  const VM = "hangar-test-1";
  let srv: TestServer;
  let admin: Client;
  let hostId = "";
  let uuid = "";

  beforeAll(async () => {
    ensureOff(VM);
    virsh("start", VM);
    ({ srv, admin } = await startWithAdmin({ HANGAR_LOCAL_AGENT: "1", HANGAR_CONSOLE_TICKET_SECONDS: "2" }));
    const row = await until(
      "guest running in inventory",
      async () =>
        (await admin.req("GET", "/api/machines")).json.rows.find(
          (r: { name: string; state: string; graphics: { port: number }[] }) => r.name === VM && r.state === "running" && r.graphics[0]!.port > 0,
        ),
      60_000,
    );
    hostId = row.hostId;
    uuid = row.uuid;
  }, 120_000);
  afterAll(async () => {
    await srv?.stop();
    ensureOff(VM);
  });

  it("a reused ticket (401), an expired one (401), another user's (403), a permission withdrawn (403): one row each, naming who and which console", async () => {
    const used = await ticket(admin, hostId, uuid);
    const first = await openConsole(srv.url, admin.cookie, used.json.protocols);
    expect(first.status).toBe(101);
    first.ws!.close();
    expect((await openConsole(srv.url, admin.cookie, used.json.protocols)).status).toBe(401);
    const [reused] = await rowsFor(admin, "ticket-used");
    expect(reused).toMatchObject({
      actor: ADMIN.username,
      outcome: "denied",
      ip: "127.0.0.1",
      target: `console vnc ${uuid} on ${hostId}`,
      details: { status: 401 },
    });

    const expired = await ticket(admin, hostId, uuid);
    await new Promise((r) => setTimeout(r, 2500)); // the ticket's lifetime is 2 s
    expect((await openConsole(srv.url, admin.cookie, expired.json.protocols)).status).toBe(401);
    expect(await rowsFor(admin, "ticket-expired")).toEqual([
      expect.objectContaining({ actor: ADMIN.username, target: `console vnc ${uuid} on ${hostId}` }),
    ]);

    const created = await admin.req("POST", "/api/users", { username: "ops", password: "another long password", role: "operator" });
    const ops = new Client(srv.url);
    expect((await ops.req("POST", "/api/auth/login", { username: "ops", password: "another long password" })).status).toBe(200);
    const adminId = (await admin.req("GET", "/api/auth/me")).json.user.id;
    const mine = await ticket(admin, hostId, uuid);
    expect((await openConsole(srv.url, ops.cookie, mine.json.protocols)).status).toBe(403);
    expect(await rowsFor(admin, "ticket-foreign")).toEqual([
      expect.objectContaining({ actor: "ops", details: expect.objectContaining({ status: 403, ticketUserId: adminId }) }),
    ]);

    // A ticket issued while the right was held, presented after it was withdrawn.
    const before = await ticket(ops, hostId, uuid);
    expect(before.status).toBe(200);
    expect((await admin.req("PATCH", `/api/users/${created.json.user.id}`, { role: "viewer" })).status).toBe(200);
    expect((await openConsole(srv.url, ops.cookie, before.json.protocols)).status).toBe(403);
    expect(await rowsFor(admin, "permission")).toEqual([expect.objectContaining({ actor: "ops", target: `console vnc ${uuid} on ${hostId}` })]);
  });
});
