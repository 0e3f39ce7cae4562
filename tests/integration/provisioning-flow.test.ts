// The provisioning acceptance chain as an admin walks it, every step through the REST API
// of the real server (dist/) and its local agent against the real libvirtd/QEMU: a
// directory pool defined and started, an image uploaded, a qcow2 volume created, a VM made
// on it that boots the tiny guest (serial banner), changed live, snapshotted with memory,
// reverted, snapshot deleted, shut off, cloned, both deleted with their volumes, a NAT
// network defined/started/stopped/undefined, the empty pool undefined; then nothing named
// hx-j-* is left in libvirt and the pool directory is empty. Bad input on the way is a 4xx
// naming the field, with nothing half-created. Steps share state and run in order.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { TaskRow } from "../../server/protocol";
import { collectText, openConsole, ticket } from "../helpers/console";
import { LAB_DIR, labSuite, until, virsh } from "../helpers/lab";
import { startWithAdmin, type Client, type TestServer } from "../helpers/server";
import { act, finalTask } from "../helpers/tasks";

const MiB = 1024 * 1024;
const PREFIX = "hx-j-";
const tag = `${PREFIX}${process.pid}`;
const POOL = `${tag}-pool`;
const VM = `${tag}-vm`;
const CLONE = `${tag}-clone`;
const NET = `${tag}-nat`;
const SEED = `${VM}-seed.qcow2`; // uploaded
const ROOT = `${VM}-root.qcow2`; // created through the volumes API
const UPLOAD_LIMIT = 16 * MiB;
const GUEST = path.join(LAB_DIR, "guest");
const octet = 100 + (process.pid % 150); // 172.29.<octet>.0/24: away from hx-c's 172.31/16 and 172.30.9
const virtType = fs.existsSync(path.join(LAB_DIR, "guest-virt-type"))
  ? fs.readFileSync(path.join(LAB_DIR, "guest-virt-type"), "utf8").trim()
  : "qemu";

interface Row {
  uuid: string;
  hostId: string;
  name: string;
  state: string;
  memoryKiB: number;
  disks: { target: string; device: string; source: string | null }[];
}

const lines = (s: string) =>
  s
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
const ours = (names: string[]) => names.filter((n) => n.startsWith(PREFIX));
const qemuImg = (file: string) =>
  JSON.parse(execFileSync("qemu-img", ["info", "-U", "--output=json", file], { encoding: "utf8" })) as { format: string; "virtual-size": number };
const tryVirsh = (...args: string[]) => {
  try {
    virsh(...args);
  } catch {
    /* already gone */
  }
};

/** Every volume whose name is ours in any active pool (others' pools may vanish meanwhile). */
function ourVolumes(): string[] {
  const out: string[] = [];
  for (const p of lines(virsh("pool-list", "--name")))
    try {
      out.push(
        ...ours(
          lines(virsh("vol-list", p))
            .slice(2)
            .map((l) => l.split(/\s+/)[0]!),
        ),
      );
    } catch {
      /* pool gone */
    }
  return out;
}

labSuite("libvirt", "provisioning flow end to end through the REST API", () => {
  let srv: TestServer;
  let admin: Client;
  let hostId = "";
  // mkdtemp makes 0700: libvirt's dir pool and QEMU (as libvirt-qemu) must traverse it.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${PREFIX}`));
  fs.chmodSync(dir, 0o755);
  const poolDir = path.join(dir, "pool"); // made by the pool's start (build)
  const src = path.join(dir, "seed.qcow2");
  const hosts = () => `/api/hosts/${hostId}`;
  const poolApi = () => `${hosts()}/pools/${POOL}`;
  let vm: Row;

  const rows = async (): Promise<Row[]> => (await admin.req("GET", "/api/machines")).json.rows as Row[];
  const row = (name: string) => until(`${name} listed`, async () => (await rows()).find((r) => r.name === name));
  const base = (r: Row) => `/api/machines/${r.hostId}/${r.uuid}`;
  const volumeNames = async () => {
    const r = await admin.req("GET", `${poolApi()}/volumes`);
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    return (r.json.volumes as { name: string }[]).map((v) => v.name);
  };
  const files = () => fs.readdirSync(poolDir).sort();
  /** A change of any method that runs as a task, followed to its end; it must succeed. */
  async function task(method: string, p: string, body?: unknown, kind?: string): Promise<{ json: any; task: TaskRow }> {
    const r = await admin.req(method, p, body);
    if (r.status !== 200 && r.status !== 202)
      throw new Error(`${method} ${p} ${JSON.stringify(body)} answered ${r.status}: ${JSON.stringify(r.json)}`);
    let t = r.json.task as TaskRow;
    if (t.status !== "succeeded" && t.status !== "failed") t = await finalTask(admin, t.id);
    expect(t, t.error ?? "").toMatchObject({ status: "succeeded", ...(kind ? { kind } : {}) });
    return { json: r.json, task: t };
  }
  const upload = (name: string, body: Buffer) =>
    fetch(`${srv.url}${poolApi()}/upload?name=${encodeURIComponent(name)}`, {
      method: "POST",
      body: new Uint8Array(body),
      headers: { Origin: srv.url, Cookie: admin.cookie, "X-Hangar-CSRF": "1", "Content-Type": "application/octet-stream" },
    }).then(async (r) => ({ status: r.status, json: (await r.json()) as any }));
  const vmSpec = (over: Record<string, unknown>) => ({
    name: VM,
    vcpus: 1,
    memoryMiB: 192,
    boot: { kind: "kernel", kernel: path.join(GUEST, "vmlinuz"), initrd: path.join(GUEST, "initrd.gz"), cmdline: "console=ttyS0" },
    disk: { kind: "existing", pool: POOL, volume: ROOT },
    network: { kind: "none" },
    startNow: false,
    ...over,
  });

  beforeAll(async () => {
    execFileSync("qemu-img", ["create", "-q", "-f", "qcow2", src, "32M"]);
    ({ srv, admin } = await startWithAdmin({
      HANGAR_LOCAL_AGENT: "1",
      HANGAR_KERNEL_DIRS: GUEST,
      HANGAR_VIRT_TYPE: virtType,
      HANGAR_MAX_UPLOAD_BYTES: String(UPLOAD_LIMIT),
    }));
    hostId = (
      await until("local host online", async () =>
        (await admin.req("GET", "/api/hosts")).json.hosts.find((h: { status: string }) => h.status === "online"),
      )
    ).id;
  }, 120_000);

  afterAll(async () => {
    if (process.env.HANGAR_TEST_LOGS) console.log(srv?.logs());
    await srv?.stop();
    for (const d of ours(lines(virsh("list", "--all", "--name")))) {
      tryVirsh("destroy", d);
      tryVirsh("undefine", d, "--snapshots-metadata");
    }
    for (const n of ours(lines(virsh("net-list", "--all", "--name")))) {
      tryVirsh("net-destroy", n);
      tryVirsh("net-undefine", n);
    }
    for (const p of ours(lines(virsh("pool-list", "--all", "--name")))) {
      tryVirsh("pool-destroy", p);
      tryVirsh("pool-undefine", p);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it("defines a directory pool, starts it, uploads a qcow2 image and creates a qcow2 volume", async () => {
    await task("POST", `${hosts()}/pools`, { name: POOL, path: poolDir }, "pool.define");
    expect(virsh("pool-info", POOL)).toMatch(/State:\s+inactive/);
    await task("POST", `${poolApi()}/actions`, { action: "start" }, "pool.start");
    expect(virsh("pool-info", POOL)).toMatch(/State:\s+running/);
    expect(files()).toEqual([]);

    const data = fs.readFileSync(src);
    const up = await upload(SEED, data);
    expect(up.status, JSON.stringify(up.json)).toBe(201);
    expect(up.json.volume).toMatchObject({ name: SEED, format: "qcow2", bytes: data.length });
    expect(up.json.task).toMatchObject({ kind: "volume.upload", status: "succeeded" });
    expect(qemuImg(path.join(poolDir, SEED))).toMatchObject({ format: "qcow2", "virtual-size": 32 * MiB });

    await task("POST", `${poolApi()}/volumes`, { name: ROOT, format: "qcow2", capacity: 64 * MiB }, "volume.create");
    expect(qemuImg(path.join(poolDir, ROOT))).toMatchObject({ format: "qcow2", "virtual-size": 64 * MiB });
    expect(await volumeNames()).toEqual([ROOT, SEED].sort());
    expect(files()).toEqual([ROOT, SEED].sort());
  });

  it("bad input is a 4xx naming the field, and nothing is half-created", async () => {
    const before = { vols: await volumeNames(), files: files(), doms: ours(lines(virsh("list", "--all", "--name"))) };
    const nets = () => ours(lines(virsh("net-list", "--all", "--name")));
    const pools = () => ours(lines(virsh("pool-list", "--all", "--name")));
    const opts = (await admin.req("GET", `/api/machines/${hostId}/create-options`)).json as {
      memoryMiB: number;
      pools: { name: string; available: number }[];
    };
    const free = opts.pools.find((p) => p.name === POOL)!.available;
    const net = { mode: "nat", address: `172.29.${octet}.1`, prefix: 24, dhcpStart: `172.29.${octet}.2`, dhcpEnd: `172.29.${octet}.254` };
    const req = (method: string, p: string, body: unknown) => () => admin.req(method, p, body);
    const cases: [string, () => Promise<{ status: number; json: any }>, number, string][] = [
      ["pool: a '/' in the name", req("POST", `${hosts()}/pools`, { name: `${tag}-a/b`, path: path.join(dir, "x") }), 422, "name"],
      ["pool: a path with '..'", req("POST", `${hosts()}/pools`, { name: `${tag}-dots`, path: `${dir}/../etc` }), 422, "path"],
      [
        "volume: path traversal in the name",
        req("POST", `${poolApi()}/volumes`, { name: `../${tag}.raw`, format: "raw", capacity: MiB }),
        422,
        "name",
      ],
      ["volume: a control character", req("POST", `${poolApi()}/volumes`, { name: `${tag}\u0001.raw`, format: "raw", capacity: MiB }), 422, "name"],
      [
        "volume: beyond the pool's free space",
        req("POST", `${poolApi()}/volumes`, { name: `${tag}-huge.qcow2`, format: "qcow2", capacity: free + 1024 * MiB }),
        422,
        "capacity",
      ],
      ["upload: path traversal in the file name", () => upload(`../${tag}-escape.iso`, Buffer.alloc(4096)), 400, "name"],
      ["upload: over the limit", () => upload(`${tag}-big.raw`, Buffer.alloc(UPLOAD_LIMIT + 1)), 413, "size"],
      ["vm: a '/' in the name", req("POST", `/api/machines/${hostId}`, vmSpec({ name: `${tag}-a/b` })), 422, "name"],
      ["vm: memory beyond the host", req("POST", `/api/machines/${hostId}`, vmSpec({ memoryMiB: opts.memoryMiB + 1 })), 422, "memoryMiB"],
      [
        "vm: a new disk beyond the pool's free space",
        req(
          "POST",
          `/api/machines/${hostId}`,
          vmSpec({ disk: { kind: "new", pool: POOL, sizeBytes: Math.ceil((free * 2) / MiB) * MiB, format: "qcow2" } }),
        ),
        422,
        "disk.sizeBytes",
      ],
      [
        "vm: a disk path outside the pool",
        req("POST", `/api/machines/${hostId}`, vmSpec({ disk: { kind: "existing", pool: POOL, volume: "../../etc/passwd" } })),
        422,
        "disk.volume",
      ],
      ["network: a '/' in the name", req("POST", `${hosts()}/networks`, { ...net, name: `${tag}-a/b` }), 422, "name"],
    ];
    for (const [label, call, status, field] of cases) {
      const r = await call();
      expect(r.status, `${label}: ${JSON.stringify(r.json)}`).toBe(status);
      expect(Object.keys(r.json.error?.fields ?? {}), `${label}: ${JSON.stringify(r.json)}`).toContain(field);
    }
    expect(await volumeNames()).toEqual(before.vols);
    expect(files()).toEqual(before.files);
    expect(fs.existsSync(path.join(dir, `${tag}-escape.iso`))).toBe(false);
    expect(ours(lines(virsh("list", "--all", "--name")))).toEqual(before.doms);
    expect((await rows()).filter((r) => r.name.startsWith(PREFIX))).toEqual([]);
    const netRows = (await admin.req("GET", `${hosts()}/networks`)).json.networks as { name: string }[];
    expect(ours(netRows.map((n) => n.name))).toEqual([]);
    expect(nets()).toEqual([]);
    expect(pools()).toEqual([POOL]);
  });

  it("creates the VM on that volume, adds the uploaded image, starts it, and its serial console shows the banner", async () => {
    const r = await admin.req("POST", `/api/machines/${hostId}`, vmSpec({}));
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    expect(r.json.task).toMatchObject({ kind: "vm.create", status: "succeeded" });
    vm = await row(VM);
    expect(vm).toMatchObject({ state: "shutoff", memoryKiB: 192 * 1024 });
    expect(virsh("dumpxml", VM)).toContain(`<domain type='${virtType}'`);
    const add = await task("POST", `${base(vm)}/edit`, { change: { kind: "disk.add", pool: POOL, volume: SEED, bus: "virtio" } }, "vm.edit.disk.add");
    expect(add.json.result.applied).toBe("next-boot");
    expect(virsh("domblklist", VM, "--inactive")).toMatch(
      new RegExp(`vda\\s+${path.join(poolDir, ROOT)}[\\s\\S]*vdb\\s+${path.join(poolDir, SEED)}`),
    );

    // Stopped, the vCPU ceiling rises with the count and stays when the count goes back
    // down: started with 1 of 2, the second one can be hot-plugged later.
    for (const count of [2, 1])
      expect((await task("POST", `${base(vm)}/edit`, { change: { kind: "vcpus", count } })).json.result.applied).toBe("next-boot");
    expect([virsh("vcpucount", VM, "--config", "--maximum"), virsh("vcpucount", VM, "--config", "--current")]).toEqual(["2", "1"]);

    await act(admin, `${base(vm)}/actions`, { action: "start" }).then((x) =>
      expect(x.task, x.task.error ?? "").toMatchObject({ status: "succeeded" }),
    );
    const c = await openConsole(srv.url, admin.cookie, (await ticket(admin, hostId, vm.uuid, { kind: "serial" })).json.protocols);
    expect(c.status).toBe(101);
    const out = collectText(c.ws!, "latin1");
    await until("guest banner on the serial console", () => out.text().includes("hangar-guest booted"), 120_000, 200);
    // The shell prompt comes after the guest set up its ACPI power-button handler: the
    // snapshot below keeps that, so the reverted guest shuts down on ACPI too.
    await until(
      "shell prompt after the banner",
      () => out.text().indexOf("hangar-guest:", out.text().indexOf("hangar-guest booted")) > 0,
      60_000,
      200,
    );
    c.ws!.close();
    expect(virsh("domstate", VM)).toBe("running");
  }, 180_000);

  it("changes memory live: the answer says live, libvirt's definition and balloon follow", async () => {
    const m = await task("POST", `${base(vm)}/edit`, { change: { kind: "memory", mib: 160 } }, "vm.edit.memory");
    expect(m.json.result.applied).toBe("live+config");
    expect(virsh("dumpxml", "--inactive", VM)).toContain("<currentMemory unit='KiB'>163840</currentMemory>");
    // QEMU took the balloon target; the tiny guest has no balloon driver to give memory back
    // (see vm-edit.test.ts), so libvirt's "actual" lies between target and the old size.
    const actual = Number(/actual (\d+)/.exec(virsh("dommemstat", VM))![1]);
    expect(actual).toBeGreaterThanOrEqual(163840);
    expect(actual).toBeLessThanOrEqual(196608);
    expect(m.json.result.domain.memoryKiB).toBe(Number(/<currentMemory unit='KiB'>(\d+)</.exec(virsh("dumpxml", VM))![1]));
  });

  it("snapshots with memory, reverts a forced-off guest back to running, deletes the snapshot", async () => {
    await task("POST", `${base(vm)}/snapshots`, { name: "s1", description: tag, memory: true }, "vm.snapshot.create");
    expect(lines(virsh("snapshot-list", VM, "--name"))).toEqual(["s1"]);
    expect(virsh("snapshot-info", VM, "s1")).toMatch(/State:\s+running/);
    await task("POST", `${base(vm)}/actions`, { action: "destroy" });
    expect(virsh("domstate", VM)).toBe("shut off");
    await task("POST", `${base(vm)}/snapshots/s1/revert`, undefined, "vm.snapshot.revert");
    // The memory image brings the guest back running, not booting from scratch.
    expect(virsh("domstate", VM, "--reason")).toBe("running (from snapshot)");
    await task("DELETE", `${base(vm)}/snapshots/s1`, undefined, "vm.snapshot.delete");
    expect(lines(virsh("snapshot-list", VM, "--name"))).toEqual([]);
  }, 120_000);

  // After the snapshot on purpose: libvirt 9.0 restores an internal memory snapshot with
  // QEMU's -loadvm at start, before it re-plugs vCPUs, so a snapshot taken after a vCPU
  // hot-plug cannot be reverted (QEMU: "Unknown savevm section … 'cpu_common' 1"; the
  // guest is left shut off, even when it was running). Reproduced with plain virsh; Hangar
  // refuses to take such a snapshot.
  it("hot-plugs a vCPU: the answer says live, libvirt's counts follow; a memory snapshot is then refused naming memory", async () => {
    const v = await task("POST", `${base(vm)}/edit`, { change: { kind: "vcpus", count: 2 } }, "vm.edit.vcpus");
    expect(v.json.result.applied).toBe("live+config");
    expect([virsh("vcpucount", VM, "--live", "--active"), virsh("vcpucount", VM, "--config", "--current")]).toEqual(["2", "2"]);
    const snap = await admin.req("POST", `${base(vm)}/snapshots`, { name: "s2", description: tag, memory: true });
    expect(snap.status, JSON.stringify(snap.json)).toBe(422);
    expect(snap.json.error.fields.memory).toMatch(/hot-plug/);
    expect(lines(virsh("snapshot-list", VM, "--name"))).toEqual([]);
  });

  it("shuts it down (ACPI) and clones it with new volumes", async () => {
    await task("POST", `${base(vm)}/actions`, { action: "shutdown" });
    await until("guest powered off after ACPI", () => virsh("domstate", VM) === "shut off", 60_000, 200);
    await until("Hangar shows it shut off", async () => (await row(VM)).state === "shutoff");
    await task("POST", `${base(vm)}/clone`, { name: CLONE }, "vm.clone");
    const c = await row(CLONE);
    expect(c.uuid).not.toBe(vm.uuid);
    const made = c.disks.filter((d) => d.device === "disk").map((d) => d.source);
    expect(made).toEqual([path.join(poolDir, `${CLONE}-root.qcow2`), path.join(poolDir, `${CLONE}-seed.qcow2`)]);
    expect(qemuImg(made[0]!)).toMatchObject({ format: "qcow2", "virtual-size": 64 * MiB });
    expect(qemuImg(made[1]!)).toMatchObject({ format: "qcow2", "virtual-size": 32 * MiB });
    expect(files()).toEqual([`${CLONE}-root.qcow2`, `${CLONE}-seed.qcow2`, ROOT, SEED].sort());
  });

  it("deletes the clone and the original with their volumes", async () => {
    for (const name of [CLONE, VM]) {
      const r = await row(name);
      const vols = r.disks.filter((d) => d.device === "disk").map((d) => d.source!);
      await task("DELETE", base(r), { volumes: vols }, "vm.delete");
      for (const v of vols) expect(fs.existsSync(v), v).toBe(false);
      await until(`${name} gone from the list`, async () => !(await rows()).some((x) => x.name === name));
    }
    expect(ours(lines(virsh("list", "--all", "--name")))).toEqual([]);
    expect(await volumeNames()).toEqual([]);
    expect(files()).toEqual([]);
  });

  it("defines a NAT network, starts it (dnsmasq runs), stops it and undefines it", async () => {
    const net = { name: NET, mode: "nat", address: `172.29.${octet}.1`, prefix: 24, dhcpStart: `172.29.${octet}.2`, dhcpEnd: `172.29.${octet}.254` };
    await task("POST", `${hosts()}/networks`, net, "network.define");
    expect(virsh("net-dumpxml", NET)).toMatch(/<forward mode='nat'/);
    await task("POST", `${hosts()}/networks/${NET}/actions`, { action: "start" }, "network.start");
    expect(virsh("net-info", NET)).toMatch(/Active:\s+yes/);
    const bridge = /Bridge:\s+(\S+)/.exec(virsh("net-info", NET))![1]!;
    expect(fs.readFileSync(`/var/lib/libvirt/dnsmasq/${NET}.conf`, "utf8")).toContain(`interface=${bridge}`);
    await task("POST", `${hosts()}/networks/${NET}/actions`, { action: "stop" }, "network.stop");
    expect(virsh("net-info", NET)).toMatch(/Active:\s+no/);
    await task("DELETE", `${hosts()}/networks/${NET}`, undefined, "network.undefine");
    expect(lines(virsh("net-list", "--all", "--name"))).not.toContain(NET);
  });

  it("undefines the now-empty pool; nothing named hx-j-* is left in libvirt and the directory is empty", async () => {
    await task("DELETE", poolApi(), undefined, "pool.undefine");
    expect(lines(virsh("pool-list", "--all", "--name"))).not.toContain(POOL);
    expect(ours(lines(virsh("list", "--all", "--name")))).toEqual([]);
    expect(ours(lines(virsh("net-list", "--all", "--name")))).toEqual([]);
    expect(ours(lines(virsh("pool-list", "--all", "--name")))).toEqual([]);
    expect(ourVolumes()).toEqual([]);
    // Undefining keeps the directory (libvirt's pool-undefine does not delete it): empty.
    expect(files()).toEqual([]);
    // Every step of the chain ran as a task of the admin that reached "succeeded".
    const done = ((await admin.req("GET", "/api/tasks?limit=1000")).json.tasks as TaskRow[]).filter(
      (t) => t.targetName.startsWith(tag) && t.status === "succeeded",
    );
    expect(new Set(done.map((t) => t.user))).toEqual(new Set(["admin"]));
    for (const kind of [
      "pool.define",
      "pool.start",
      "volume.upload",
      "volume.create",
      "vm.create",
      "vm.edit.disk.add",
      "vm.edit.vcpus",
      "vm.edit.memory",
      "vm.snapshot.create",
      "vm.snapshot.revert",
      "vm.snapshot.delete",
      "vm.clone",
      "vm.delete",
      "network.define",
      "network.start",
      "network.stop",
      "network.undefine",
      "pool.undefine",
    ])
      expect(
        done.map((t) => t.kind),
        kind,
      ).toContain(kind);
  });
});
