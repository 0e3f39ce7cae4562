// Storage volumes (and the pool verbs around them) through the whole stack, against the
// real libvirtd: a directory pool under a temp dir, volumes created, grown, cloned and
// deleted through the API, each checked against libvirt's truth (qemu-img on the file,
// virsh on the pool). Everything made here is named hx-a-* and removed in afterAll.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { TaskRow } from "../../server/protocol";
import { Client, startWithAdmin, type TestServer } from "../helpers/server";
import { labSuite, until, virsh } from "../helpers/lab";
import { act, finalTask } from "../helpers/tasks";

const MiB = 1024 * 1024;

interface VolumeRow {
  name: string;
  path: string;
  format: string;
  capacity: number;
  allocation: number;
  usedBy: Array<{ name: string; uuid: string }>;
}

interface QemuImgInfo {
  format: string;
  "virtual-size": number;
  "format-specific"?: { data: { compat?: string } };
}
const qemuImg = (file: string): QemuImgInfo =>
  JSON.parse(execFileSync("qemu-img", ["info", "-U", "--output=json", file], { encoding: "utf8" })) as QemuImgInfo;

labSuite("libvirt", "storage volumes API", () => {
  let srv: TestServer;
  let admin: Client;
  let viewer: Client;
  let operator: Client;
  let hostId: string;
  const pool = `hx-a-pool-${process.pid}`;
  const dom = `hx-a-dom-${process.pid}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hx-a-"));
  fs.chmodSync(dir, 0o755);
  const target = path.join(dir, "pool");
  const base = () => `/api/hosts/${hostId}/pools/${pool}`;
  const vol = (name: string) => `${base()}/volumes/${encodeURIComponent(name)}`;

  const list = async (c: Client = admin): Promise<{ pool: { available: number; volumes: number }; volumes: VolumeRow[] }> => {
    const r = await c.req("GET", `${base()}/volumes`);
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    return r.json;
  };
  const names = async () => (await list()).volumes.map((v) => v.name);
  /** A DELETE that runs as a task, followed to its end. */
  const del = async (p: string): Promise<TaskRow> => {
    const r = await admin.req("DELETE", p);
    if (r.status !== 200 && r.status !== 202) throw new Error(`DELETE ${p} answered ${r.status}: ${JSON.stringify(r.json)}`);
    const t = r.json.task as TaskRow;
    return r.status === 200 && (t.status === "succeeded" || t.status === "failed") ? t : finalTask(admin, t.id);
  };
  const create = (name: string, format: string, capacity: number) => act(admin, `${base()}/volumes`, { name, format, capacity });

  beforeAll(async () => {
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
    viewer = await signIn("vera", "viewer");
    operator = await signIn("otto", "operator");
    const d = await act(admin, `/api/hosts/${hostId}/pools`, { name: pool, path: target });
    expect(d.task.status, d.task.error ?? "").toBe("succeeded");
    const s = await act(admin, `${base()}/actions`, { action: "start" });
    expect(s.task.status, s.task.error ?? "").toBe("succeeded");
  }, 90_000);

  afterAll(async () => {
    await srv?.stop();
    for (const args of [
      ["destroy", dom],
      ["undefine", dom],
      ["pool-destroy", pool],
      ["pool-undefine", pool],
    ]) {
      try {
        virsh(...args);
      } catch {
        /* already gone */
      }
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("creates a qcow2 (compat 1.1) and a raw volume as tasks, as qemu-img sees them", async () => {
    const q = await create("disk.qcow2", "qcow2", 10 * MiB);
    expect(q.task, q.task.error ?? "").toMatchObject({
      kind: "volume.create",
      status: "succeeded",
      targetType: "volume",
      targetId: `${pool}/disk.qcow2`,
    });
    const qi = qemuImg(path.join(target, "disk.qcow2"));
    expect(qi).toMatchObject({ format: "qcow2", "virtual-size": 10 * MiB });
    expect(qi["format-specific"]?.data.compat).toBe("1.1");
    const r = await create("data.raw", "raw", 4 * MiB);
    expect(r.task, r.task.error ?? "").toMatchObject({ status: "succeeded" });
    expect(qemuImg(path.join(target, "data.raw"))).toMatchObject({ format: "raw", "virtual-size": 4 * MiB });

    const l = await list();
    expect(l.pool.volumes).toBe(2);
    expect(l.volumes).toEqual([
      expect.objectContaining({ name: "data.raw", format: "raw", capacity: 4 * MiB, path: path.join(target, "data.raw"), usedBy: [] }),
      expect.objectContaining({ name: "disk.qcow2", format: "qcow2", capacity: 10 * MiB, path: path.join(target, "disk.qcow2"), usedBy: [] }),
    ]);
    // A viewer reads volumes too.
    expect((await list(viewer)).volumes).toHaveLength(2);
  });

  it("refuses a taken name (409 naming name) and a size beyond the pool's free space (422 naming capacity), creating nothing", async () => {
    const dup = await admin.req("POST", `${base()}/volumes`, { name: "disk.qcow2", format: "raw", capacity: MiB });
    expect(dup.status, JSON.stringify(dup.json)).toBe(409);
    expect(dup.json.error.fields).toHaveProperty("name");
    expect(qemuImg(path.join(target, "disk.qcow2")).format).toBe("qcow2");

    const { pool: p } = await list();
    const huge = await admin.req("POST", `${base()}/volumes`, { name: "huge.qcow2", format: "qcow2", capacity: p.available + 1024 * MiB });
    expect(huge.status, JSON.stringify(huge.json)).toBe(422);
    expect(huge.json.error.fields).toHaveProperty("capacity");
    expect(await names()).toEqual(["data.raw", "disk.qcow2"]);
    expect(fs.existsSync(path.join(target, "huge.qcow2"))).toBe(false);
  });

  it("refuses invalid names, formats and sizes with 422 naming the field, creating nothing", async () => {
    for (const [body, field] of [
      [{ name: "../x", format: "raw", capacity: MiB }, "name"],
      [{ name: "a/b", format: "raw", capacity: MiB }, "name"],
      [{ name: "a\u0001b", format: "raw", capacity: MiB }, "name"],
      [{ name: "x".repeat(201), format: "raw", capacity: MiB }, "name"],
      [{ name: "", format: "raw", capacity: MiB }, "name"],
      [{ name: "ok.img", format: "vmdk", capacity: MiB }, "format"],
      [{ name: "ok.img", format: "raw", capacity: 0 }, "capacity"],
      [{ name: "ok.img", format: "raw", capacity: 1.5 }, "capacity"],
      [{ name: "ok.img", format: "raw", capacity: MiB, extra: 1 }, "extra"],
    ] as const) {
      const r = await admin.req("POST", `${base()}/volumes`, body);
      expect(r.status, JSON.stringify(body)).toBe(422);
      expect(Object.keys(r.json.error.fields ?? {}).join(","), JSON.stringify(r.json)).toContain(field);
    }
    expect(await names()).toEqual(["data.raw", "disk.qcow2"]);
    expect(fs.readdirSync(target).sort()).toEqual(["data.raw", "disk.qcow2"]);
  });

  it("takes names with spaces, '#', '%' and non-ASCII letters through the URL, both ways", async () => {
    const odd = "my disk #1 50% ü.raw";
    const c = await create(odd, "raw", MiB);
    expect(c.task.status, c.task.error ?? "").toBe("succeeded");
    expect(fs.existsSync(path.join(target, odd))).toBe(true);
    expect(await names()).toContain(odd);
    expect((await del(vol(odd))).status).toBe("succeeded");
    expect(fs.existsSync(path.join(target, odd))).toBe(false);
    expect(await names()).toEqual(["data.raw", "disk.qcow2"]);
  });

  it("grows a volume and refuses to shrink it (422 naming capacity, size kept)", async () => {
    const g = await act(admin, `${vol("disk.qcow2")}/actions`, { action: "resize", capacity: 20 * MiB });
    expect(g.task, g.task.error ?? "").toMatchObject({ kind: "volume.resize", status: "succeeded" });
    expect(qemuImg(path.join(target, "disk.qcow2"))["virtual-size"]).toBe(20 * MiB);
    for (const capacity of [5 * MiB, 20 * MiB]) {
      const s = await admin.req("POST", `${vol("disk.qcow2")}/actions`, { action: "resize", capacity });
      expect(s.status, JSON.stringify(s.json)).toBe(422);
      expect(s.json.error.fields).toHaveProperty("capacity");
    }
    expect(qemuImg(path.join(target, "disk.qcow2"))["virtual-size"]).toBe(20 * MiB);
    const raw = await act(admin, `${vol("data.raw")}/actions`, { action: "resize", capacity: 8 * MiB });
    expect(raw.task.status, raw.task.error ?? "").toBe("succeeded");
    expect(fs.statSync(path.join(target, "data.raw")).size).toBe(8 * MiB);
  });

  it("clones a volume under a new name (same format, compat 1.1) and refuses a taken one", async () => {
    const c = await act(admin, `${vol("disk.qcow2")}/actions`, { action: "clone", newName: "copy.qcow2" });
    expect(c.task, c.task.error ?? "").toMatchObject({ kind: "volume.clone", status: "succeeded" });
    const ci = qemuImg(path.join(target, "copy.qcow2"));
    expect(ci).toMatchObject({ format: "qcow2", "virtual-size": 20 * MiB });
    expect(ci["format-specific"]?.data.compat).toBe("1.1");
    const taken = await admin.req("POST", `${vol("disk.qcow2")}/actions`, { action: "clone", newName: "data.raw" });
    expect(taken.status, JSON.stringify(taken.json)).toBe(409);
    expect(taken.json.error.fields).toHaveProperty("newName");
    const bad = await admin.req("POST", `${vol("disk.qcow2")}/actions`, { action: "clone", newName: "../evil" });
    expect(bad.status).toBe(422);
    expect(bad.json.error.fields).toHaveProperty("newName");
    expect(await names()).toEqual(["copy.qcow2", "data.raw", "disk.qcow2"]);
  });

  it("refuses to grow a volume a running machine has open (409), size kept", async () => {
    const running = `${dom}-run`;
    const xml = path.join(dir, "run.xml");
    fs.writeFileSync(
      xml,
      `<domain type='qemu'><name>${running}</name><memory unit='MiB'>32</memory><vcpu>1</vcpu><os><type arch='x86_64'>hvm</type></os><devices>
        <disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='${path.join(target, "copy.qcow2")}'/><target dev='vda' bus='virtio'/></disk>
      </devices></domain>`,
    );
    virsh("define", xml);
    try {
      virsh("start", running);
      const r = await admin.req("POST", `${vol("copy.qcow2")}/actions`, { action: "resize", capacity: 40 * MiB });
      expect(r.status, JSON.stringify(r.json)).toBe(409);
      expect(r.json.error.message).toContain(running);
      expect(qemuImg(path.join(target, "copy.qcow2"))["virtual-size"]).toBe(20 * MiB);
    } finally {
      try {
        virsh("destroy", running);
      } catch {
        /* not running */
      }
      virsh("undefine", running);
    }
  });

  it("shows the domains using a volume and refuses to delete it while used, unless force", async () => {
    const xml = path.join(dir, "dom.xml");
    fs.writeFileSync(
      xml,
      `<domain type='qemu'><name>${dom}</name><memory unit='MiB'>32</memory><vcpu>1</vcpu><os><type arch='x86_64'>hvm</type></os><devices>
        <disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='${path.join(target, "disk.qcow2")}'/><target dev='vda' bus='virtio'/></disk>
        <disk type='volume' device='disk'><driver name='qemu' type='raw'/><source pool='${pool}' volume='data.raw'/><target dev='vdb' bus='virtio'/></disk>
      </devices></domain>`,
    );
    virsh("define", xml);
    const uuid = virsh("domuuid", dom).trim();
    const rows = (await list()).volumes;
    const user = [{ name: dom, uuid }];
    expect(rows.find((v) => v.name === "disk.qcow2")?.usedBy).toEqual(user);
    expect(rows.find((v) => v.name === "data.raw")?.usedBy).toEqual(user);
    expect(rows.find((v) => v.name === "copy.qcow2")?.usedBy).toEqual([]);

    const refused = await admin.req("DELETE", vol("disk.qcow2"));
    expect(refused.status, JSON.stringify(refused.json)).toBe(409);
    expect(refused.json.error.message).toContain(dom);
    expect(fs.existsSync(path.join(target, "disk.qcow2"))).toBe(true);

    // force deletes a volume in use (the guest's definition keeps a dangling reference).
    expect((await del(`${vol("data.raw")}?force=1`)).status).toBe("succeeded");
    expect(fs.existsSync(path.join(target, "data.raw"))).toBe(false);

    virsh("undefine", dom);
    const t = await del(vol("disk.qcow2"));
    expect(t, t.error ?? "").toMatchObject({ kind: "volume.delete", status: "succeeded" });
    expect(fs.existsSync(path.join(target, "disk.qcow2"))).toBe(false);
    expect(await names()).toEqual(["copy.qcow2"]);
    expect((await admin.req("DELETE", vol("no-such.qcow2"))).status).toBe(404);
  });

  it("a refresh picks up a file copied into the pool's directory", async () => {
    fs.copyFileSync(path.join(target, "copy.qcow2"), path.join(target, "dropped.qcow2"));
    expect(await names()).not.toContain("dropped.qcow2");
    const r = await act(admin, `${base()}/actions`, { action: "refresh" });
    expect(r.task, r.task.error ?? "").toMatchObject({ kind: "pool.refresh", status: "succeeded" });
    const dropped = (await list()).volumes.find((v) => v.name === "dropped.qcow2");
    expect(dropped).toMatchObject({ format: "qcow2", capacity: 20 * MiB });
  });

  it("turns autostart on and off, as libvirt reports it", async () => {
    const on = await act(admin, `${base()}/actions`, { action: "autostart", enabled: true });
    expect(on.task, on.task.error ?? "").toMatchObject({ kind: "pool.autostart", status: "succeeded" });
    expect(virsh("pool-info", pool)).toMatch(/Autostart:\s+yes/);
    const off = await act(admin, `${base()}/actions`, { action: "autostart", enabled: false });
    expect(off.task.status).toBe("succeeded");
    expect(virsh("pool-info", pool)).toMatch(/Autostart:\s+no/);
    const bad = await admin.req("POST", `${base()}/actions`, { action: "autostart" });
    expect(bad.status).toBe(422);
    expect(bad.json.error.fields).toHaveProperty("enabled");
  });

  it("404s for an unknown pool or volume", async () => {
    const p = `/api/hosts/${hostId}/pools/hx-a-no-such-pool`;
    expect((await admin.req("GET", `${p}/volumes`)).status).toBe(404);
    expect((await admin.req("POST", `${p}/volumes`, { name: "x.raw", format: "raw", capacity: MiB })).status).toBe(404);
    expect((await admin.req("DELETE", p)).status).toBe(404);
    expect((await admin.req("POST", `${vol("no-such.raw")}/actions`, { action: "resize", capacity: MiB })).status).toBe(404);
  });

  it("only storage.manage (admins) may change volumes and pools: operators and viewers get 403, nothing changes", async () => {
    for (const c of [operator, viewer]) {
      expect((await c.req("POST", `${base()}/volumes`, { name: "x.raw", format: "raw", capacity: MiB })).status).toBe(403);
      expect((await c.req("DELETE", vol("copy.qcow2"))).status).toBe(403);
      expect((await c.req("POST", `${vol("copy.qcow2")}/actions`, { action: "resize", capacity: 40 * MiB })).status).toBe(403);
      expect((await c.req("POST", `${vol("copy.qcow2")}/actions`, { action: "clone", newName: "y.qcow2" })).status).toBe(403);
      expect((await c.req("POST", `${base()}/actions`, { action: "refresh" })).status).toBe(403);
      expect((await c.req("POST", `${base()}/actions`, { action: "autostart", enabled: true })).status).toBe(403);
      expect((await c.req("DELETE", base())).status).toBe(403);
    }
    expect(await names()).toEqual(["copy.qcow2", "dropped.qcow2"]);
    expect(qemuImg(path.join(target, "copy.qcow2"))["virtual-size"]).toBe(20 * MiB);
    expect(virsh("pool-info", pool)).toMatch(/Autostart:\s+no/);
  });

  it("refuses to undefine a pool holding volumes (409 with the count), undefines it once empty", async () => {
    const r = await admin.req("DELETE", base());
    expect(r.status, JSON.stringify(r.json)).toBe(409);
    expect(r.json.error.message).toContain("2 volumes");
    expect(virsh("pool-info", pool)).toMatch(/State:\s+running/);
    for (const n of ["copy.qcow2", "dropped.qcow2"]) expect((await del(vol(n))).status).toBe("succeeded");
    const t = await del(base());
    expect(t, t.error ?? "").toMatchObject({ kind: "pool.undefine", status: "succeeded" });
    expect(virsh("pool-list", "--all", "--name")).not.toContain(pool);
    // The directory stays: undefine forgets the pool, it deletes no files.
    expect(fs.statSync(target).isDirectory()).toBe(true);
  });
});
