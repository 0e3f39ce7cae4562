// Storage pools through the whole stack: a directory pool defined on the real libvirtd shows
// up in GET /api/hosts/<id>/pools with the sizes the file system itself reports.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { Client, startWithAdmin, type TestServer } from "../helpers/server";
import { labSuite, until, virsh } from "../helpers/lab";
import { act } from "../helpers/tasks";

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
  let operator: Client;
  let hostId: string;
  const name = `hangar-h9-pool-${process.pid}`;
  const made = `hangar-h9-made-${process.pid}`;
  // mkdtemp makes 0700; libvirt's dir pool wants to stat it, QEMU (later) to traverse it.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hangar-h9-"));
  fs.chmodSync(dir, 0o755);

  const pools = async (c: Client): Promise<PoolRow[]> => {
    const r = await c.req("GET", `/api/hosts/${hostId}/pools`);
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    return r.json.pools as PoolRow[];
  };
  const ours = (rows: PoolRow[]) => rows.find((p) => p.name === name);
  const ours2 = (rows: PoolRow[]) => rows.find((p) => p.name === made);

  beforeAll(async () => {
    fs.writeFileSync(path.join(dir, "one.raw"), Buffer.alloc(1024 * 1024));
    virsh("pool-define-as", name, "dir", "--target", dir);
    virsh("pool-start", name);
    ({ srv, admin } = await startWithAdmin({ HANGAR_LOCAL_AGENT: "1" }));
    const host = await until("local host online", async () =>
      (await admin.req("GET", "/api/hosts")).json.hosts.find((h: { status: string }) => h.status === "online"),
    );
    hostId = host.id;
    const signIn = async (username: string, role: string) => {
      expect((await admin.req("POST", "/api/users", { username, password: "a long enough password", role })).status).toBe(201);
      const c = new Client(srv.url);
      expect((await c.req("POST", "/api/auth/login", { username, password: "a long enough password" })).status).toBe(200);
      return c;
    };
    viewer = await signIn("vic", "viewer");
    operator = await signIn("olga", "operator");
  }, 60_000);

  afterAll(async () => {
    await srv?.stop();
    for (const n of [name, made]) {
      try {
        virsh("pool-destroy", n);
      } catch {
        /* not active */
      }
      try {
        virsh("pool-undefine", n);
      } catch {
        /* not defined */
      }
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

  // A path with XML's special characters: the agent builds the pool XML with a builder, so
  // libvirt must report exactly this path back (pasted into a string, it would not parse).
  const madeDir = () => path.join(dir, "made <&'\"> dir");

  it("defines a directory pool as a task: inactive, persistent, the path read back exactly", async () => {
    const r = await act(admin, `/api/hosts/${hostId}/pools`, { name: made, path: madeDir() });
    expect(r.task, r.task.error ?? "").toMatchObject({ kind: "pool.define", status: "succeeded", targetName: made });
    expect(ours2(await pools(admin))).toMatchObject({
      state: "inactive",
      persistent: true,
      autostart: false,
      path: madeDir(),
      volumes: null,
      type: "dir",
    });
    expect(virsh("pool-dumpxml", made)).toContain("made &lt;&amp;");
    expect(fs.existsSync(madeDir())).toBe(false);
  });

  it("starts it (creating the directory) and stops it, each as a task", async () => {
    const start = await act(admin, `/api/hosts/${hostId}/pools/${made}/actions`, { action: "start" });
    expect(start.task, start.task.error ?? "").toMatchObject({ kind: "pool.start", status: "succeeded" });
    expect(fs.statSync(madeDir()).isDirectory()).toBe(true);
    expect(virsh("pool-info", made)).toMatch(/State:\s+running/);
    expect(ours2(await pools(admin))).toMatchObject({ state: "running", volumes: 0 });
    // Starting a running pool is libvirt's refusal, answered at once.
    const again = await admin.req("POST", `/api/hosts/${hostId}/pools/${made}/actions`, { action: "start" });
    expect(again.status, JSON.stringify(again.json)).toBe(409);
    const stop = await act(admin, `/api/hosts/${hostId}/pools/${made}/actions`, { action: "stop" });
    expect(stop.task, stop.task.error ?? "").toMatchObject({ kind: "pool.stop", status: "succeeded" });
    expect(virsh("pool-info", made)).toMatch(/State:\s+inactive/);
  });

  it("refuses a taken name (409), bad names and paths (422 naming the field), an unknown pool (404)", async () => {
    const taken = await admin.req("POST", `/api/hosts/${hostId}/pools`, { name: made, path: path.join(dir, "other") });
    expect(taken.status, JSON.stringify(taken.json)).toBe(409);
    for (const [body, field] of [
      [{ name: "x y", path: dir }, "name"],
      [{ name: "-x", path: dir }, "name"],
      [{ name: "ok", path: "relative/dir" }, "path"],
      [{ name: "ok", path: "/tmp/../etc" }, "path"],
      [{ name: "ok", path: "/tmp/a\nb" }, "path"],
      [{ name: "ok", path: dir, extra: 1 }, "extra"],
    ] as const) {
      const r = await admin.req("POST", `/api/hosts/${hostId}/pools`, body);
      expect(r.status, JSON.stringify(body)).toBe(422);
      expect(Object.keys(r.json.error.fields ?? {}).join(","), JSON.stringify(r.json)).toContain(field);
    }
    const unknown = await admin.req("POST", `/api/hosts/${hostId}/pools/no-such-pool-h9/actions`, { action: "start" });
    expect(unknown.status, JSON.stringify(unknown.json)).toBe(404);
    const badAction = await admin.req("POST", `/api/hosts/${hostId}/pools/${made}/actions`, { action: "explode" });
    expect(badAction.status).toBe(422);
    expect(badAction.json.error.fields).toHaveProperty("action");
  });

  it("only storage.manage (admins) may change pools: operators and viewers get 403, nothing changes", async () => {
    for (const c of [operator, viewer]) {
      expect((await c.req("POST", `/api/hosts/${hostId}/pools`, { name: `${made}-x`, path: path.join(dir, "x") })).status).toBe(403);
      expect((await c.req("POST", `/api/hosts/${hostId}/pools/${made}/actions`, { action: "start" })).status).toBe(403);
    }
    expect(virsh("pool-list", "--all", "--name")).not.toContain(`${made}-x`);
    expect(virsh("pool-info", made)).toMatch(/State:\s+inactive/);
  });

  it("refuses to refresh a stopped pool (409), and to undefine a stopped pool whose directory holds files (409, stays stopped)", async () => {
    expect(virsh("pool-info", name)).toMatch(/State:\s+inactive/);
    const refresh = await admin.req("POST", `/api/hosts/${hostId}/pools/${name}/actions`, { action: "refresh" });
    expect(refresh.status, JSON.stringify(refresh.json)).toBe(409);
    // libvirt lists the volumes of running pools only: a clear 409, not an empty list.
    const vols = await admin.req("GET", `/api/hosts/${hostId}/pools/${name}/volumes`);
    expect(vols.status, JSON.stringify(vols.json)).toBe(409);
    expect(vols.json.error.message).toContain("not running");
    // libvirt counts only an active pool's volumes: the agent starts it to count, and stops it again.
    const r = await admin.req("DELETE", `/api/hosts/${hostId}/pools/${name}`);
    expect(r.status, JSON.stringify(r.json)).toBe(409);
    // one.raw, and the other pool's directory: libvirt lists a subdirectory as a volume (type dir).
    expect(r.json.error.message).toContain("2 volumes");
    expect(r.json.error.message).toContain("one.raw");
    expect(virsh("pool-info", name)).toMatch(/State:\s+inactive/);
  });

  it("undefines a stopped, empty pool as a task; its directory stays", async () => {
    const r = await admin.req("DELETE", `/api/hosts/${hostId}/pools/${made}`);
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    expect(r.json.task, r.json.task.error ?? "").toMatchObject({ kind: "pool.undefine", status: "succeeded" });
    expect(virsh("pool-list", "--all", "--name")).not.toContain(made);
    expect(fs.statSync(madeDir()).isDirectory()).toBe(true);
  });
});
