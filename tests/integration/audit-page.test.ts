// The audit log API behind the audit page (issue 14 point 7), against the real built
// server: server-side filters, keyset pagination, the streamed CSV export (quoting and the
// spreadsheet formula guard), append-only routes (405) and retention pruning. Rows with
// chosen times are written straight into the server's SQLite file, as an old log would be.
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, startWithAdmin, type TestServer } from "../helpers/server";
import { until } from "../helpers/lab";

interface Row {
  id: string;
  at: string;
  actor: string;
  action: string;
  target: string;
  outcome: string;
  ip: string;
  details: Record<string, unknown>;
}

/** A minimal RFC 4180 reader, to check what a spreadsheet would see. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(cell);
      cell = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      i++;
    } else cell += c;
  }
  if (cell || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

describe("audit page API", () => {
  let srv: TestServer;
  let admin: Client;
  let db: Database.Database;
  let seq = 0;
  /** Inserts audit rows the way Prisma stores them (DateTime as ISO text in SQLite? detected below). */
  let atValue: (d: Date) => string | number;

  const insert = (rows: { at: Date; actor: string; action?: string; target?: string; outcome?: string; ip?: string; details?: object }[]) => {
    const st = db.prepare('INSERT INTO "AuditEvent" (id, at, actor, action, target, outcome, ip, detailsJson) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    db.transaction(() => {
      for (const r of rows)
        st.run(
          `test${String(seq++).padStart(6, "0")}`,
          atValue(r.at),
          r.actor,
          r.action ?? "test.event",
          r.target ?? "",
          r.outcome ?? "success",
          r.ip ?? "192.0.2.1",
          JSON.stringify(r.details ?? {}),
        );
    })();
  };
  const list = async (qs: string) => {
    const r = await admin.req("GET", `/api/audit${qs}`);
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    return r.json as { events: Row[]; nextCursor: string | null };
  };

  beforeAll(async () => {
    ({ srv, admin } = await startWithAdmin({ HANGAR_AUDIT_PRUNE_SECONDS: "1" }));
    db = new Database(path.join(srv.dir, "hangar.db"));
    // Match the server's own encoding of DateTime, read from the row setup wrote.
    const sample = db.prepare('SELECT at FROM "AuditEvent" LIMIT 1').get() as { at: string | number };
    atValue = typeof sample.at === "number" ? (d) => d.getTime() : (d) => d.toISOString();
  });
  afterAll(async () => {
    db?.close();
    await srv?.stop();
  });

  it("filters by user, resource, action (exact or family), result and time range", async () => {
    const now = Date.now();
    insert([
      { at: new Date(now - 3 * 3600_000), actor: "mallory", action: "auth.login", outcome: "failure", target: "" },
      { at: new Date(now - 2 * 3600_000), actor: "mallory", action: "auth.logout", target: "" },
      { at: new Date(now - 1 * 3600_000), actor: "olga", action: "machine.start", target: "web-01 on host-a" },
      { at: new Date(now - 30 * 60_000), actor: "olga", action: "authz.check", target: "db-02" },
    ]);
    expect((await list("?user=mallory")).events.map((e) => e.action)).toEqual(["auth.logout", "auth.login"]);
    expect((await list("?user=mallor")).events).toEqual([]); // exact user, not a substring
    expect((await list("?resource=web-01")).events.map((e) => e.actor)).toEqual(["olga"]);
    // "auth" is the auth.* family; it does not match authz.check.
    expect((await list("?action=auth&user=mallory")).events).toHaveLength(2);
    expect((await list("?action=auth&user=olga")).events).toEqual([]);
    expect((await list("?action=auth.login&user=mallory")).events).toHaveLength(1);
    expect((await list("?outcome=failure&user=mallory")).events.map((e) => e.action)).toEqual(["auth.login"]);
    const from = new Date(now - 2.5 * 3600_000).toISOString();
    const to = new Date(now - 45 * 60_000).toISOString();
    const ranged = await list(`?from=${from}&to=${to}`);
    expect(ranged.events.map((e) => `${e.actor}:${e.action}`)).toEqual(["olga:machine.start", "mallory:auth.logout"]);
    expect(ranged.events.every((e) => e.at >= from && e.at <= to)).toBe(true);
    // Strict query: unknown fields, bad times, reversed range and bad cursors are 422 naming the field.
    for (const [qs, field] of [
      ["?who=mallory", "who"],
      ["?from=yesterday", "from"],
      [`?from=${to}&to=${from}`, "from"],
      ["?cursor=bm9wZQ", "cursor"],
      ["?action=DROP%20TABLE", "action"],
      ["?outcome=maybe", "outcome"],
    ] as const) {
      const r = await admin.req("GET", `/api/audit${qs}`);
      expect(r.status, qs).toBe(422);
      expect(Object.keys(r.json.error.fields), qs).toContain(field);
    }
  });

  it("pages with a cursor: every row once, newest first, ties on the same instant included", async () => {
    const base = Date.now() - 86_400_000;
    // 250 rows, in groups of 5 sharing one millisecond.
    insert(Array.from({ length: 250 }, (_, i) => ({ at: new Date(base + Math.floor(i / 5) * 1000), actor: "pager", target: `row ${i}` })));
    const seen: Row[] = [];
    let cursor: string | null = "";
    let pages = 0;
    while (cursor !== null) {
      const page = await list(`?user=pager&limit=100${cursor ? `&cursor=${cursor}` : ""}`);
      seen.push(...page.events);
      cursor = page.nextCursor;
      pages++;
    }
    expect(pages).toBe(3);
    expect(seen).toHaveLength(250);
    expect(new Set(seen.map((e) => e.id)).size).toBe(250);
    const keys = seen.map((e) => `${e.at}|${e.id}`);
    expect(keys).toEqual([...keys].sort().reverse());
    // A page is consistent while new rows arrive at the top.
    const first = await list("?user=pager&limit=10");
    insert([{ at: new Date(), actor: "pager", target: "newer" }]);
    const second = await list(`?user=pager&limit=10&cursor=${first.nextCursor}`);
    expect(second.events[0]!.id).toBe(seen[10]!.id);
  });

  it("exports the filtered log as CSV with proper quoting and a formula guard", async () => {
    const at = new Date(Date.now() - 7200_000);
    insert([
      { at, actor: "csv", target: 'a,b "quoted"\nsecond line', details: { note: "x,y" } },
      { at, actor: "csv", target: '=HYPERLINK("http://evil.example","x")' },
      { at, actor: "csv", target: "+1+2" },
      { at, actor: "csv", target: "-3" },
      { at, actor: "csv", target: "@SUM(A1:A2)" },
      { at, actor: "csv", target: "\tcmd" },
      { at, actor: "csv", target: "plain" },
    ]);
    const res = await fetch(`${srv.url}/api/audit/export?user=csv`, { headers: { Cookie: admin.cookie } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="hangar-audit-.*\.csv"$/);
    const text = await res.text();
    expect(text).toContain('"a,b ""quoted""\nsecond line"');
    const rows = parseCsv(text);
    expect(rows[0]).toEqual(["at", "actor", "action", "target", "outcome", "ip", "details"]);
    const targets = rows.slice(1).map((r) => r[3]);
    expect(targets.sort()).toEqual(
      ['\'=HYPERLINK("http://evil.example","x")', "'+1+2", "'-3", "'@SUM(A1:A2)", "'\tcmd", 'a,b "quoted"\nsecond line', "plain"].sort(),
    );
    expect(rows.slice(1).every((r) => r.length === 7 && r[1] === "csv")).toBe(true);
    expect(rows.find((r) => r[3]!.startsWith("a,b"))![6]).toBe('{"note":"x,y"}');
    // Bad filters are refused before any CSV is sent.
    expect((await fetch(`${srv.url}/api/audit/export?limit=5`, { headers: { Cookie: admin.cookie } })).status).toBe(422);
  });

  it("streams a large export page by page, every row once", async () => {
    const base = Date.now() - 2 * 86_400_000;
    insert(Array.from({ length: 1234 }, (_, i) => ({ at: new Date(base + i), actor: "bulk", target: `bulk ${i}` })));
    const t0 = performance.now();
    const text = await (await fetch(`${srv.url}/api/audit/export?user=bulk`, { headers: { Cookie: admin.cookie } })).text();
    console.log(`[figure] CSV export of 1234 rows: ${(performance.now() - t0).toFixed(0)} ms, ${text.length} bytes`);
    const rows = parseCsv(text).slice(1);
    expect(rows).toHaveLength(1234);
    expect(new Set(rows.map((r) => r[3])).size).toBe(1234);
  });

  it("no route edits or deletes an entry: PUT, PATCH and DELETE are 405", async () => {
    const some = (await list("?limit=1")).events[0]!;
    for (const p of ["/api/audit", "/api/audit/export"])
      for (const m of ["PUT", "PATCH", "DELETE"]) {
        const r = await admin.req(m, p, m === "DELETE" ? undefined : { action: "x" });
        expect(r.status, `${m} ${p}`).toBe(405);
      }
    expect((await admin.req("DELETE", `/api/audit/${some.id}`)).status).toBe(404);
    expect((await list("?limit=1")).events[0]!.id).toBe(some.id);
  });

  it("prunes entries past the retention, periodically and when the setting changes; the change is audited", async () => {
    expect((await admin.req("GET", "/api/settings/audit-retention")).json).toEqual({ days: 365, defaultDays: 365 });
    const day = 86_400_000;
    insert([
      { at: new Date(Date.now() - 400 * day), actor: "ancient", target: "400 days old" },
      { at: new Date(Date.now() - 10 * day), actor: "old", target: "10 days old" },
    ]);
    // The periodic job (every second here) removes the 400-day row, keeps the 10-day one.
    await until("the 400-day row is pruned", async () => ((await list("?user=ancient")).events.length === 0 ? true : undefined), 15_000, 200);
    expect((await list("?user=old")).events).toHaveLength(1);

    const bad = await admin.req("PUT", "/api/settings/audit-retention", { days: 0 });
    expect(bad.status).toBe(422);
    expect(bad.json.error.fields.days).toBeTruthy();
    const set = await admin.req("PUT", "/api/settings/audit-retention", { days: 5 });
    expect(set.status).toBe(200);
    expect(set.json.days).toBe(5);
    expect(set.json.pruned).toBeGreaterThanOrEqual(1);
    expect((await list("?user=old")).events).toEqual([]);
    expect((await list("?user=pager")).events.length).toBeGreaterThan(0); // 1 day old: kept
    const changed = (await list("?action=audit.retention")).events[0]!;
    expect(changed).toMatchObject({ actor: "admin", outcome: "success", details: { before: 365, after: 5 } });
    expect((await list("?action=audit.prune&user=hangar")).events.length).toBeGreaterThanOrEqual(2);

    expect((await admin.req("PUT", "/api/settings/audit-retention", { days: null })).json.days).toBeNull();
    insert([{ at: new Date(Date.now() - 4000 * day), actor: "forever", target: "kept" }]);
    await new Promise((r) => setTimeout(r, 1500));
    expect((await list("?user=forever")).events).toHaveLength(1);

    // A viewer may not read the log nor change the setting.
    expect((await admin.req("POST", "/api/users", { username: "vic", password: "a long enough password", role: "viewer" })).status).toBe(201);
    const vic = new Client(srv.url);
    await vic.req("POST", "/api/auth/login", { username: "vic", password: "a long enough password" });
    expect((await vic.req("GET", "/api/audit")).status).toBe(403);
    expect((await vic.req("GET", "/api/audit/export")).status).toBe(403);
    expect((await vic.req("PUT", "/api/settings/audit-retention", { days: 1 })).status).toBe(403);
  });
});
