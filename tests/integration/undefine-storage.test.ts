// Deleting a machine with and without its disks, on a real libvirt storage pool.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startWithAdmin, type Client, type TestServer } from "../helpers/server";
import { labSuite, LAB_DIR, until, virsh } from "../helpers/lab";
import { machineAction } from "../helpers/tasks";

const POOL = "hangar-test-pool";
const poolDir = path.join(LAB_DIR, "pool");

function defineWithDisk(name: string): string {
  const vol = `${name}.qcow2`;
  try {
    virsh("vol-delete", "--pool", POOL, vol);
  } catch {
    /* not there */
  }
  virsh("vol-create-as", POOL, vol, "1M", "--format", "qcow2");
  const file = path.join(os.tmpdir(), `${name}.xml`);
  fs.writeFileSync(
    file,
    `<domain type='qemu'><name>${name}</name><memory unit='MiB'>32</memory><vcpu>1</vcpu><os><type arch='x86_64'>hvm</type></os><devices><disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='${path.join(poolDir, vol)}'/><target dev='vda' bus='virtio'/></disk></devices></domain>`,
  );
  virsh("define", file);
  fs.rmSync(file);
  return path.join(poolDir, vol);
}

labSuite("libvirt", "delete a machine", () => {
  let srv: TestServer;
  let admin: Client;
  const names = [`hangar-del-${process.pid}-a`, `hangar-del-${process.pid}-b`];
  const disks: string[] = [];

  beforeAll(async () => {
    fs.mkdirSync(poolDir, { recursive: true });
    if (!virsh("pool-list", "--all", "--name").split("\n").includes(POOL)) virsh("pool-define-as", POOL, "dir", "--target", poolDir);
    if (!virsh("pool-list", "--name").split("\n").includes(POOL)) virsh("pool-start", POOL);
    virsh("pool-refresh", POOL);
    for (const n of names) disks.push(defineWithDisk(n));
    ({ srv, admin } = await startWithAdmin({ HANGAR_LOCAL_AGENT: "1" }));
  }, 60_000);

  afterAll(async () => {
    await srv?.stop();
    for (const n of names) {
      try {
        virsh("undefine", n);
      } catch {
        /* gone */
      }
    }
  });

  const row = (name: string) =>
    until(`${name} listed`, async () => (await admin.req("GET", "/api/machines")).json.rows.find((r: { name: string }) => r.name === name));

  it("without storage: the definition goes, the disk stays", async () => {
    const m = await row(names[0]!);
    expect(m.disks[0].source).toBe(disks[0]);
    const r = await machineAction(admin, m.hostId, m.uuid, "undefine");
    expect(r.task, r.task.error ?? "").toMatchObject({ kind: "vm.undefine", status: "succeeded" });
    await until(
      "row removed by push",
      async () => !(await admin.req("GET", "/api/machines")).json.rows.some((x: { name: string }) => x.name === names[0]),
    );
    expect(fs.existsSync(disks[0]!)).toBe(true);
  });

  it("with storage: the definition and its disk volume go", async () => {
    const m = await row(names[1]!);
    const r = await machineAction(admin, m.hostId, m.uuid, "undefine", { removeStorage: true });
    expect(r.task, r.task.error ?? "").toMatchObject({ kind: "vm.undefine", status: "succeeded" });
    expect(fs.existsSync(disks[1]!)).toBe(false);
    expect(virsh("vol-list", POOL)).not.toContain(path.basename(disks[1]!));
  });
});
