// Creating VMs through the REST API against the real libvirtd: names and descriptions
// with XML's special characters, quotes, emoji and 200 characters come back from libvirt
// exactly; the tiny test guest, created with direct kernel boot and a new qcow2 disk,
// boots and prints its banner on the serial console; bad input is a 4xx naming the field
// and leaves no machine and no volume behind; a start that fails undoes the disk too.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { XMLParser } from "fast-xml-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, startWithAdmin, type TestServer } from "../helpers/server";
import { LAB_DIR, labSuite, until, virsh } from "../helpers/lab";
import { collectText, openConsole, ticket } from "../helpers/console";
import { machineAction } from "../helpers/tasks";

const PREFIX = "hx-d-";
const GUEST = path.join(LAB_DIR, "guest");
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@", trimValues: false, parseTagValue: false });

/** Every libvirt domain whose name starts with our prefix, by uuid (names may hold anything). */
function ourDomains(): Map<string, string> {
  const out = new Map<string, string>();
  for (const uuid of virsh("list", "--all", "--uuid").split("\n").filter(Boolean)) {
    try {
      const name = virsh("domname", uuid);
      if (name.startsWith(PREFIX)) out.set(uuid, name);
    } catch {
      /* gone meanwhile */
    }
  }
  return out;
}

function removeDomain(uuid: string): void {
  try {
    virsh("destroy", uuid);
  } catch {
    /* not running */
  }
  try {
    virsh("undefine", uuid, "--nvram");
  } catch {
    /* gone */
  }
}

labSuite("libvirt", "create VMs through the REST API", () => {
  let srv: TestServer;
  let admin: Client;
  let viewer: Client;
  let operator: Client;
  let hostId = "";
  const pool = `${PREFIX}pool-${process.pid}`;
  // mkdtemp makes 0700: QEMU (as libvirt-qemu) must reach the disk inside.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hx-d-"));
  fs.chmodSync(dir, 0o755);
  const poolDir = path.join(dir, "pool");
  const kernelDir = path.join(dir, "boot");
  const badKernel = path.join(kernelDir, "vmlinuz-garbage");
  const virtType = fs.existsSync(path.join(LAB_DIR, "guest-virt-type"))
    ? fs.readFileSync(path.join(LAB_DIR, "guest-virt-type"), "utf8").trim()
    : "qemu";

  const kernelBoot = { kind: "kernel", kernel: path.join(GUEST, "vmlinuz"), initrd: path.join(GUEST, "initrd.gz"), cmdline: "console=ttyS0" };
  const spec = (over: Record<string, unknown>) => ({
    vcpus: 1,
    memoryMiB: 128,
    boot: kernelBoot,
    disk: { kind: "none" },
    network: { kind: "none" },
    startNow: false,
    ...over,
  });
  // libvirt's view after a refresh, and the directory's own: neither may keep a leftover.
  const volumes = () => {
    virsh("pool-refresh", pool);
    const listed = virsh("vol-list", pool)
      .split("\n")
      .slice(2)
      .map((l) => l.trim().split(/\s+/)[0]!)
      .filter(Boolean)
      .sort();
    expect(fs.readdirSync(poolDir).sort()).toEqual(listed);
    return listed;
  };
  const create = (c: Client, body: unknown) => c.req("POST", `/api/machines/${hostId}`, body);

  beforeAll(async () => {
    fs.mkdirSync(poolDir);
    fs.mkdirSync(kernelDir);
    fs.writeFileSync(badKernel, Buffer.alloc(64 * 1024, 0x5a));
    virsh("pool-define-as", pool, "dir", "--target", poolDir);
    virsh("pool-start", pool);
    ({ srv, admin } = await startWithAdmin({
      HANGAR_LOCAL_AGENT: "1",
      HANGAR_KERNEL_DIRS: `${GUEST}:${kernelDir}`,
      // The lab's boot probe knows whether KVM really boots a guest here (see guests-define.sh).
      HANGAR_VIRT_TYPE: virtType,
    }));
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
  }, 120_000);

  afterAll(async () => {
    await srv?.stop();
    for (const uuid of ourDomains().keys()) removeDomain(uuid);
    try {
      virsh("pool-destroy", pool);
    } catch {
      /* not active */
    }
    try {
      virsh("pool-undefine", pool);
    } catch {
      /* not defined */
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it("offers the host's limits, the virt type, our pool and the lab's kernel", async () => {
    const r = await admin.req("GET", `/api/machines/${hostId}/create-options`);
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    expect(r.json.cpus).toBe(os.cpus().length);
    expect(r.json.virtType).toBe(virtType);
    expect(r.json.memoryMiB).toBeGreaterThan(1024);
    expect(r.json.pools.find((p: { name: string }) => p.name === pool)).toMatchObject({ active: true, volumes: [] });
    expect(r.json.kernels).toContain(path.join(fs.realpathSync(GUEST), "vmlinuz"));
    expect(r.json.initrds).toContain(path.join(fs.realpathSync(GUEST), "initrd.gz"));
  });

  describe("names and descriptions come back from libvirt exactly", () => {
    const table: [string, string, string][] = [
      ["markup", `${PREFIX}<b>&amp;<i>`, "<script>alert('x')</script> & &amp; ]]>"],
      ["quotes", `${PREFIX}it's "quoted"`, `single ' double " back \` mixed '"'`],
      ["emoji", `${PREFIX}🚀😀 Grüße 漢字`, "emoji 🚀 and\nline breaks\n\twith a tab"],
      ["200 characters", PREFIX + "x".repeat(195), "d".repeat(4096)],
      ["spaces inside", `${PREFIX}a  b c`, "  leading and trailing spaces kept  "],
    ];
    for (const [label, name, description] of table)
      it(label, async () => {
        expect([...name].length).toBeLessThanOrEqual(200);
        const title = `title of ${label} <&>`;
        const r = await create(operator, spec({ name, description, title }));
        expect(r.status, JSON.stringify(r.json)).toBe(201);
        expect(r.json.machine.name).toBe(name);
        expect(r.json.machine.state).toBe("shutoff");
        const uuid = r.json.machine.uuid as string;
        // libvirt's own answer (virsh, behind Hangar's back) and what Hangar's agent reads.
        expect(virsh("domname", uuid)).toBe(name);
        const got = await admin.req("GET", `/api/machines/${hostId}/${uuid}`);
        expect(got.status).toBe(200);
        const d = (parser.parse(got.json.xml as string) as { domain: Record<string, unknown> }).domain;
        expect(d.name).toBe(name);
        expect(d.description).toBe(description);
        expect(d.title).toBe(title);
        expect((d as { "@type": string })["@type"]).toBe(virtType);
        removeDomain(uuid);
      });
  });

  it("creates the test guest with kernel boot and a new qcow2 disk, starts it, and its serial console shows the banner", async () => {
    const name = `${PREFIX}guest-${process.pid}`;
    const body = spec({ name, memoryMiB: 192, disk: { kind: "new", pool, sizeBytes: 64 * 1024 * 1024, format: "qcow2" }, startNow: true });
    const key = { "Idempotency-Key": `hx-d-create-${process.pid}` };
    const r = await admin.req("POST", `/api/machines/${hostId}`, body, key);
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    const m = r.json.machine;
    // The task was aimed at the name; done, it names the machine by uuid like every VM task.
    expect(r.json.task).toMatchObject({ kind: "vm.create", targetType: "vm", targetId: m.uuid, targetName: name, status: "succeeded" });
    // A retry with the same key (a lost answer) is the same task and the same machine, not a second VM.
    const retry = await admin.req("POST", `/api/machines/${hostId}`, body, key);
    expect(retry.status).toBe(201);
    expect(retry.json).toMatchObject({ replay: true, task: { id: r.json.task.id }, machine: { uuid: m.uuid } });
    expect(m).toMatchObject({ name, state: "running", vcpus: 1, memoryKiB: 192 * 1024, virtType });
    const c = await openConsole(srv.url, admin.cookie, (await ticket(admin, hostId, m.uuid, { kind: "serial" })).json.protocols);
    expect(c.status).toBe(101);
    const out = collectText(c.ws!, "latin1");
    await until("guest banner on the serial console", () => out.text().includes("hangar-guest booted"), 90_000, 200);
    c.ws!.close();
    // The disk is a qcow2 volume of the pool, attached as virtio; VNC on loopback only.
    expect(volumes()).toEqual([`${name}.qcow2`]);
    expect(m.disks).toEqual([
      expect.objectContaining({ target: "vda", bus: "virtio", format: "qcow2", source: path.join(poolDir, `${name}.qcow2`) }),
    ]);
    expect(m.graphics).toEqual([expect.objectContaining({ type: "vnc", listen: "127.0.0.1" })]);
    expect(virsh("vol-dumpxml", `${name}.qcow2`, "--pool", pool)).toContain("<capacity unit='bytes'>67108864</capacity>");
    // A second machine of that name is a conflict naming the name, and changes nothing.
    const again = await create(admin, spec({ name, disk: { kind: "new", pool, sizeBytes: 64 * 1024 * 1024, format: "qcow2" } }));
    expect(again.status).toBe(409);
    expect(again.json.error.fields).toHaveProperty("name");
    expect(volumes()).toEqual([`${name}.qcow2`]);
    removeDomain(m.uuid);
    virsh("vol-delete", `${name}.qcow2`, "--pool", pool);
  }, 180_000);

  // The lab installs Debian's ovmf (scripts/lab/libvirt-up.sh): libvirt then offers
  // firmware='efi' and picks OVMF and an NVRAM file itself.
  it("UEFI where OVMF is installed: the test guest boots through OVMF, with its own NVRAM, removed with it", async () => {
    const opts = (await admin.req("GET", `/api/machines/${hostId}/create-options`)).json;
    const ovmf = fs.existsSync("/usr/share/qemu/firmware/60-edk2-x86_64.json");
    expect(opts.uefi).toBe(ovmf);
    if (!ovmf) return;
    const name = `${PREFIX}uefi-${process.pid}`;
    const r = await create(admin, spec({ name, firmware: "uefi", memoryMiB: 192, startNow: true }));
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    const m = r.json.machine;
    expect(m.state).toBe("running");
    const c = await openConsole(srv.url, admin.cookie, (await ticket(admin, hostId, m.uuid, { kind: "serial" })).json.protocols);
    expect(c.status).toBe(101);
    const out = collectText(c.ws!, "latin1");
    await until("guest banner on the serial console after OVMF", () => out.text().includes("hangar-guest booted"), 150_000, 200);
    c.ws!.close();
    const d = (parser.parse((await admin.req("GET", `/api/machines/${hostId}/${m.uuid}`)).json.xml as string) as { domain: any }).domain;
    // The definition asks for EFI; the running domain shows what libvirt chose for it.
    expect(virsh("dumpxml", "--inactive", m.uuid)).toContain("<os firmware='efi'>");
    expect(d.os.loader["#text"]).toMatch(/^\/usr\/share\/OVMF\/OVMF_CODE.*\.fd$/);
    expect(d.os.loader["@type"]).toBe("pflash");
    const nvram = String(d.os.nvram["#text"] ?? d.os.nvram);
    expect(fs.existsSync(nvram), nvram).toBe(true);
    // Deleting the machine through Hangar drops its NVRAM too.
    virsh("destroy", m.uuid);
    const del = await machineAction(admin, hostId, m.uuid, "undefine");
    expect(del.task, del.task.error ?? "").toMatchObject({ kind: "vm.undefine", status: "succeeded" });
    expect(ourDomains().has(m.uuid)).toBe(false);
    expect(fs.existsSync(nvram)).toBe(false);
  }, 200_000);

  it("an ISO install: the ISO as a read-only SATA CD-ROM booted first, an existing volume as the virtio disk", async () => {
    // Any file serves as a CD-ROM image for libvirt; this one is never booted.
    fs.writeFileSync(path.join(poolDir, "hx-d-installer.iso"), Buffer.alloc(1024 * 1024));
    fs.writeFileSync(path.join(poolDir, "hx-d-root.raw"), Buffer.alloc(1024 * 1024));
    virsh("pool-refresh", pool);
    const opts = (await admin.req("GET", `/api/machines/${hostId}/create-options`)).json;
    expect(opts.pools.find((p: { name: string }) => p.name === pool).volumes).toEqual([
      { name: "hx-d-installer.iso", capacity: 1024 * 1024, iso: true },
      { name: "hx-d-root.raw", capacity: 1024 * 1024, iso: false },
    ]);
    const name = `${PREFIX}iso-${process.pid}`;
    const r = await create(
      operator,
      spec({ name, boot: { kind: "cdrom", pool, volume: "hx-d-installer.iso" }, disk: { kind: "existing", pool, volume: "hx-d-root.raw" } }),
    );
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    const d = (parser.parse((await admin.req("GET", `/api/machines/${hostId}/${r.json.machine.uuid}`)).json.xml as string) as { domain: any }).domain;
    const boots = [d.os.boot].flat().map((b: Record<string, string>) => b["@dev"]);
    expect(boots).toEqual(["cdrom", "hd"]);
    const disks = [d.devices.disk].flat() as any[];
    expect(disks.map((x) => [x["@device"], x.source["@file"], x.target["@bus"], x.driver["@type"], "readonly" in x])).toEqual([
      ["disk", path.join(poolDir, "hx-d-root.raw"), "virtio", "raw", false],
      ["cdrom", path.join(poolDir, "hx-d-installer.iso"), "sata", "raw", true],
    ]);
    expect(d.devices.graphics).toMatchObject({ "@type": "vnc", "@listen": "127.0.0.1" });
    // That disk is taken now: a second machine on it would corrupt it. The ISO may be shared.
    const second = await create(
      admin,
      spec({
        name: `${name}-2`,
        boot: { kind: "cdrom", pool, volume: "hx-d-installer.iso" },
        disk: { kind: "existing", pool, volume: "hx-d-root.raw" },
      }),
    );
    expect(second.status, JSON.stringify(second.json)).toBe(409);
    expect(second.json.error.fields["disk.volume"]).toContain(name);
    const shared = await create(admin, spec({ name: `${name}-3`, boot: { kind: "cdrom", pool, volume: "hx-d-installer.iso" } }));
    expect(shared.status, JSON.stringify(shared.json)).toBe(201);
    removeDomain(shared.json.machine.uuid);
    removeDomain(r.json.machine.uuid);
    for (const f of ["hx-d-installer.iso", "hx-d-root.raw"]) virsh("vol-delete", f, "--pool", pool);
  });

  describe("bad input: 4xx naming the field, nothing half-created", () => {
    const before = { domains: 0, volumes: [] as string[] };
    const expectNothingMade = () => {
      expect(ourDomains().size).toBe(before.domains);
      expect(volumes()).toEqual(before.volumes);
    };
    beforeAll(() => {
      before.domains = ourDomains().size;
      before.volumes = volumes();
    });
    const newDisk = (sizeBytes = 16 * 1024 * 1024) => ({ kind: "new", pool, sizeBytes, format: "qcow2" });
    const cases: [string, () => Record<string, unknown>, number, string][] = [
      ["a '/' in the name", () => spec({ name: `${PREFIX}a/b`, disk: newDisk() }), 422, "name"],
      ["an empty name", () => spec({ name: "", disk: newDisk() }), 422, "name"],
      ["a control character in the name", () => spec({ name: `${PREFIX}a\u0001b` }), 422, "name"],
      ["201 characters", () => spec({ name: PREFIX + "y".repeat(196) }), 422, "name"],
      ["too little memory", () => spec({ name: `${PREFIX}m`, memoryMiB: 16 }), 422, "memoryMiB"],
      ["no vCPU", () => spec({ name: `${PREFIX}c`, vcpus: 0 }), 422, "vcpus"],
      ["an unknown field", () => spec({ name: `${PREFIX}u`, evil: true }), 422, "evil"],
      [
        "an unknown pool",
        () => spec({ name: `${PREFIX}p`, disk: { kind: "new", pool: "hx-d-no-such-pool", sizeBytes: 1048576, format: "raw" } }),
        422,
        "disk.pool",
      ],
      ["an unknown volume", () => spec({ name: `${PREFIX}v`, disk: { kind: "existing", pool, volume: "nope.qcow2" } }), 422, "disk.volume"],
      ["an unknown ISO", () => spec({ name: `${PREFIX}i`, boot: { kind: "cdrom", pool, volume: "nope.iso" } }), 422, "boot.volume"],
      [
        "an unknown network",
        () => spec({ name: `${PREFIX}n`, network: { kind: "network", name: "hx-d-no-such-net" }, disk: newDisk() }),
        422,
        "network.name",
      ],
      [
        "a kernel outside the allowed directories",
        () => spec({ name: `${PREFIX}k`, boot: { ...kernelBoot, kernel: "/etc/passwd" } }),
        422,
        "boot.kernel",
      ],
      ["boot from disk without a disk", () => spec({ name: `${PREFIX}d`, boot: { kind: "disk" } }), 422, "disk"],
    ];
    for (const [label, body, status, field] of cases)
      it(label, async () => {
        const r = await create(admin, body());
        expect(r.status, JSON.stringify(r.json)).toBe(status);
        expect(r.json.error.fields, JSON.stringify(r.json)).toHaveProperty([field]);
        expectNothingMade();
      });

    it("more memory or vCPUs than the host has", async () => {
      const opts = (await admin.req("GET", `/api/machines/${hostId}/create-options`)).json;
      const mem = await create(admin, spec({ name: `${PREFIX}mem`, memoryMiB: opts.memoryMiB + 1, disk: newDisk() }));
      expect(mem.status, JSON.stringify(mem.json)).toBe(422);
      expect(mem.json.error.fields).toHaveProperty(["memoryMiB"]);
      const cpu = await create(admin, spec({ name: `${PREFIX}cpu`, vcpus: opts.cpus + 1 }));
      expect(cpu.status).toBe(422);
      expect(cpu.json.error.fields).toHaveProperty(["vcpus"]);
      if (!opts.uefi) {
        const fw = await create(admin, spec({ name: `${PREFIX}fw`, firmware: "uefi" }));
        expect(fw.status).toBe(422);
        expect(fw.json.error.fields).toHaveProperty(["firmware"]);
      }
      expectNothingMade();
    });

    it("a disk larger than the pool's free space", async () => {
      const free = fs.statfsSync(poolDir);
      const tooBig = Math.ceil((free.bfree * free.bsize * 2) / 1048576) * 1048576;
      const r = await create(admin, spec({ name: `${PREFIX}big`, disk: newDisk(tooBig) }));
      expect(r.status, JSON.stringify(r.json)).toBe(422);
      expect(r.json.error.fields).toHaveProperty(["disk.sizeBytes"]);
      expectNothingMade();
    });

    // Not a bzImage: QEMU takes it for an ancient kernel that cannot load an initrd and exits.
    it("a machine that QEMU cannot start is removed again, with its new disk", async () => {
      const r = await create(admin, spec({ name: `${PREFIX}nostart`, boot: { ...kernelBoot, kernel: badKernel }, disk: newDisk(), startNow: true }));
      expect(r.status, JSON.stringify(r.json)).toBe(409);
      expect(r.json.error.fields).toHaveProperty(["startNow"]);
      expectNothingMade();
    }, 60_000);
  });

  it("roles: a viewer may neither see the options nor create; anonymous is 401", async () => {
    expect((await viewer.req("GET", `/api/machines/${hostId}/create-options`)).status).toBe(403);
    expect((await create(viewer, spec({ name: `${PREFIX}viewer` }))).status).toBe(403);
    expect((await create(new Client(srv.url), spec({ name: `${PREFIX}anon` }))).status).toBe(401);
    expect([...ourDomains().values()]).not.toContain(`${PREFIX}viewer`);
  });
});
