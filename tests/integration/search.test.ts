// The command palette's search (issue 16 point 3) against the real lab: machines the local
// agent reports from libvirt are found by a fragment of their name, their UUID, a NIC's MAC
// and a tag; results hold only what the caller may see (a user scoped to one tag finds only
// that VM, and no users); bad input is a 422 naming the field.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { Client, startWithAdmin, type TestServer } from "../helpers/server";
import { labSuite, until, virsh } from "../helpers/lab";
import { defineScratch, undefineScratch } from "../helpers/scratch-domains";

const PREFIX = "hx-palette-";
const MAC = "52:54:00:5e:a7:c1";
type Hit = { kind: string; id: string; title: string; match: { field: string; value: string } | null; tags: string[] };

function defineWithNic(name: string): void {
  const file = path.join(os.tmpdir(), `${name}.xml`);
  fs.writeFileSync(
    file,
    `<domain type='qemu'><name>${name}</name><memory unit='MiB'>32</memory><vcpu>1</vcpu><os><type arch='x86_64'>hvm</type></os>` +
      `<devices><interface type='network'><mac address='${MAC}'/><source network='default'/></interface></devices></domain>`,
  );
  try {
    virsh("define", file);
  } finally {
    fs.rmSync(file, { force: true });
  }
}

labSuite("libvirt", "command palette search", () => {
  let srv: TestServer;
  let admin: Client;
  let scoped: Client;
  let hostId = "";
  const web = `${PREFIX}web-${process.pid}`;
  const db = `${PREFIX}db-${process.pid}`;
  const uuids: Record<string, string> = {};
  const find = async (c: Client, q: string): Promise<Hit[]> => {
    const r = await c.req("GET", `/api/search?q=${encodeURIComponent(q)}`);
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    return r.json.hits as Hit[];
  };

  beforeAll(async () => {
    undefineScratch(PREFIX);
    defineWithNic(web);
    defineScratch(db);
    ({ srv, admin } = await startWithAdmin({ HANGAR_LOCAL_AGENT: "1" }));
  }, 30_000);
  afterAll(async () => {
    await srv?.stop();
    undefineScratch(PREFIX);
  });

  it("finds machines by name fragment, UUID, MAC and tag", async () => {
    const rows = await until("both machines reported", async () => {
      const r = (await admin.req("GET", "/api/machines")).json.rows as { name: string; uuid: string; hostId: string }[];
      return r.filter((m) => m.name.startsWith(PREFIX)).length === 2 ? r : null;
    });
    for (const m of rows.filter((r) => r.name.startsWith(PREFIX))) {
      uuids[m.name] = m.uuid;
      hostId = m.hostId;
    }
    const tag = await admin.req("PUT", `/api/machines/${hostId}/${uuids[db]}/tags`, { tags: ["hx-palette-team"] });
    expect(tag.status, JSON.stringify(tag.json)).toBe(200);

    // A fragment with a gap ("palweb" → hx-palette-web-…) ranks the web VM first.
    expect((await find(admin, "palweb"))[0]).toMatchObject({ kind: "vm", title: web, match: null });
    expect((await find(admin, uuids[web]!.slice(0, 8)))[0]).toMatchObject({ kind: "vm", title: web, match: { field: "uuid" } });
    expect((await find(admin, MAC.slice(-8)))[0]).toMatchObject({ kind: "vm", title: web, match: { field: "mac", value: MAC } });
    expect((await find(admin, "palette-team"))[0]).toMatchObject({ kind: "vm", title: db, match: { field: "tag", value: "hx-palette-team" } });
    // Hosts and (for an admin) users are found too.
    expect((await find(admin, "admin")).some((h) => h.kind === "user" && h.title === "admin")).toBe(true);
  }, 60_000);

  it("holds only what the caller may see", async () => {
    const u = await admin.req("POST", "/api/users", { username: "pat", password: "a long enough password", role: "none" });
    expect(u.status).toBe(201);
    const a = await admin.req("POST", "/api/assignments", {
      subject: { type: "user", id: u.json.user.id },
      role: "operator",
      scope: { type: "tag", id: "hx-palette-team" },
    });
    expect(a.status, JSON.stringify(a.json)).toBe(201);
    scoped = new Client(srv.url);
    expect((await scoped.req("POST", "/api/auth/login", { username: "pat", password: "a long enough password" })).status).toBe(200);
    const hits = await find(scoped, PREFIX);
    expect(hits.filter((h) => h.kind === "vm").map((h) => h.title)).toEqual([db]);
    expect(await find(scoped, "admin")).toEqual([]);
    expect(await find(scoped, MAC)).toEqual([]);
  });

  it("refuses bad input naming the field", async () => {
    const empty = await admin.req("GET", "/api/search?q=");
    expect(empty.status).toBe(422);
    expect(empty.json.error.fields).toHaveProperty("q");
    const long = await admin.req("GET", `/api/search?q=${"x".repeat(101)}`);
    expect(long.status).toBe(422);
    expect((await admin.req("GET", "/api/search?q=a&limit=500")).json.error.fields).toHaveProperty("limit");
    expect((await admin.req("GET", "/api/search?q=a&evil=1")).status).toBe(422);
  });
});
