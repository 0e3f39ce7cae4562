// Storage pools through the whole stack: a directory pool defined on the real libvirtd shows
// up in GET /api/hosts/<id>/pools with the sizes the file system itself reports.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { Client, startWithAdmin, type TestServer } from "../helpers/server";
import { labSuite, until, virsh } from "../helpers/lab";

interface PoolRow {
  name: string;
  uuid: string;
  type: string;
  state: string;
  autostart: boolean;
  persistent: boolean;
  capacity: number;
  allocation: number;
  available: number;
  path: string | null;
  volumes: number | null;
}

labSuite("libvirt", "storage pools API", () => {
  let srv: TestServer;
  let admin: Client;
  let viewer: Client;
  let hostId: string;
  const name = `hangar-h9-pool-${process.pid}`;
  // mkdtemp makes 0700; libvirt's dir pool wants to stat it, QEMU (later) to traverse it.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hangar-h9-"));
  fs.chmodSync(dir, 0o755);

  const pools = async (c: Client): Promise<PoolRow[]> => {
    const r = await c.req("GET", `/api/hosts/${hostId}/pools`);
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    return r.json.pools as PoolRow[];
  };
  const ours = (rows: PoolRow[]) => rows.find((p) => p.name === name);

  beforeAll(async () => {
    fs.writeFileSync(path.join(dir, "one.raw"), Buffer.alloc(1024 * 1024));
    virsh("pool-define-as", name, "dir", "--target", dir);
    virsh("pool-start", name);
    ({ srv, admin } = await startWithAdmin({ HANGAR_LOCAL_AGENT: "1" }));
    const host = await until("local host online", async () =>
      (await admin.req("GET", "/api/hosts")).json.hosts.find((h: { status: string }) => h.status === "online"),
    );
    hostId = host.id;
    const made = await admin.req("POST", "/api/users", { username: "vic", password: "a long enough password", role: "viewer" });
    expect(made.status).toBe(201);
    viewer = new Client(srv.url);
    expect((await viewer.req("POST", "/api/auth/login", { username: "vic", password: "a long enough password" })).status).toBe(200);
  }, 60_000);

  afterAll(async () => {
    await srv?.stop();
    try {
      virsh("pool-destroy", name);
    } catch {
      /* not active */
    }
    try {
      virsh("pool-undefine", name);
    } catch {
      /* not defined */
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("lists a running dir pool with the file system's sizes, its path and its volume", async () => {
    const p = ours(await pools(admin));
    expect(p, "pool listed").toBeDefined();
    const uuid = virsh("pool-uuid", name).trim();
    expect(p).toMatchObject({ uuid, type: "dir", state: "running", persistent: true, autostart: false, path: dir, volumes: 1 });
    // libvirt's dir pool takes its sizes from statvfs of the target: capacity is
    // f_blocks·f_frsize (fixed), available is f_bfree·f_frsize — free blocks INCLUDING
    // those reserved for root, not f_bavail (here the two differ by ~160 GB) — and
    // allocation is the rest. Free space moves as others write: available within 1%.
    const st = fs.statfsSync(dir);
    expect(p!.capacity).toBe(st.blocks * st.bsize);
    expect(Math.abs(p!.available - st.bfree * st.bsize)).toBeLessThan(p!.capacity / 100);
    expect(p!.allocation + p!.available).toBe(p!.capacity);
  });

  it("a viewer can read pools", async () => {
    expect(ours(await pools(viewer))?.state).toBe("running");
  });

  it("a stopped pool is inactive and has no volume count", async () => {
    virsh("pool-destroy", name);
    const p = ours(await pools(admin));
    expect(p).toMatchObject({ state: "inactive", volumes: null, persistent: true, path: dir });
  });

  it("refuses a malformed (422) or unknown (404) hostId, naming the field", async () => {
    const long = await admin.req("GET", `/api/hosts/${"x".repeat(65)}/pools`);
    expect(long.status).toBe(422);
    expect(long.json.error.fields).toHaveProperty("hostId");
    const unknown = await admin.req("GET", "/api/hosts/no-such-host/pools");
    expect(unknown.status).toBe(404);
    expect(unknown.json.error.fields).toHaveProperty("hostId");
  });

  it("refuses anonymous callers", async () => {
    expect((await new Client(srv.url).req("GET", `/api/hosts/${hostId}/pools`)).status).toBe(401);
  });
});
