// Import through the whole stack against the real libvirtd and Debian's qemu-img: disks
// made here by qemu-img (VMDK, VDI, VHDX) and an OVA packed with tar around an OVF this test
// writes, imported by POST /api/machines/<host>/import into a scratch directory pool; the
// converted qcow2 is checked with qemu-img itself, the OVF facts against what the OVF said,
// and every refusal against libvirt's and the file system's view afterwards: nothing new.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { Client, startWithAdmin, type TestServer } from "../helpers/server";
import { labSuite, until, virsh } from "../helpers/lab";
import { act } from "../helpers/tasks";
import { vmwareOvf, type OvfSampleOptions } from "../../server/agent/import/testing/ovf-samples";

interface QemuInfo {
  format: string;
  "virtual-size": number;
  "format-specific"?: { data?: { compat?: string } };
}
const qemuInfo = (f: string): QemuInfo => JSON.parse(execFileSync("qemu-img", ["info", "-U", "--output=json", f], { encoding: "utf8" })) as QemuInfo;
const qemuImg = (...a: string[]) => execFileSync("qemu-img", a, { encoding: "utf8" });
/** qemu-io prints "Pattern verification failed" and still exits 0. */
const readsPattern = (file: string, fmt: string, pattern: string, at: string) =>
  !/fail/i.test(execFileSync("qemu-io", ["-f", fmt, "-c", `read -P ${pattern} ${at} 64k`, file], { encoding: "utf8" }));

labSuite("libvirt", "VM import (VMDK, VDI, VHDX, OVA) through the API", () => {
  let srv: TestServer;
  let admin: Client;
  let viewer: Client;
  let hostId: string;
  const pool = `hx-f-pool-${process.pid}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hx-f-import-"));
  fs.chmodSync(dir, 0o755);
  const stage = fs.mkdtempSync(path.join(os.tmpdir(), "hx-f-stage-"));
  // An isolated network of this run for imports that get a NIC (libvirt's "default" may be stopped).
  const net = `hx-prov-impnet-${process.pid}`;

  // virsh 9.0's vol-list has no --name: the table's first column (our names have no spaces).
  const vols = () =>
    virsh("vol-list", pool)
      .split("\n")
      .slice(2)
      .map((l) => l.trim().split(/\s+/)[0] ?? "")
      .filter(Boolean)
      .sort();
  const files = () => fs.readdirSync(dir).sort();
  const domains = () =>
    virsh("list", "--all", "--name")
      .split("\n")
      .map((s) => s.trim())
      .filter(Boolean);
  const post = (body: Record<string, unknown>) => admin.req("POST", `/api/machines/${hostId}/import`, body);
  const body = (sourceVolume: string, name: string, extra: Record<string, unknown> = {}) => ({
    sourcePool: pool,
    sourceVolume,
    targetPool: pool,
    name,
    ...extra,
  });

  /** An OVA: the .ovf first, then the manifest (if any) and the disk, as ovftool writes them, made with GNU tar. */
  function ova(file: string, ovf: string, o: { disks?: string[]; manifest?: "good" | "bad-disk" } = {}) {
    const d = fs.mkdtempSync(path.join(stage, "ova-"));
    const disks = o.disks ?? ["disk1.vmdk"];
    fs.writeFileSync(path.join(d, "vm.ovf"), ovf);
    for (const disk of disks) {
      qemuImg("create", "-q", "-f", "vmdk", "-o", "subformat=streamOptimized", path.join(d, disk), "32M");
    }
    const members = ["vm.ovf"];
    if (o.manifest) {
      const sha = (f: string) =>
        createHash("sha256")
          .update(fs.readFileSync(path.join(d, f)))
          .digest("hex");
      const lines = ["vm.ovf", ...disks].map((f) => `SHA256(${f})= ${o.manifest === "bad-disk" && f !== "vm.ovf" ? "0".repeat(64) : sha(f)}`);
      fs.writeFileSync(path.join(d, "vm.mf"), lines.join("\n") + "\n");
      members.push("vm.mf");
    }
    execFileSync("tar", ["--format=ustar", "-C", d, "-cf", path.join(dir, file), ...members, ...disks]);
  }
  const ovfWith = (o: OvfSampleOptions) => vmwareOvf({ name: "hx-f-appliance", vcpus: "2", memory: "256", nics: ["VM Network"], ...o });

  /** The import's task at its end and what it made. */
  async function imported(b: Record<string, unknown>) {
    const r = await act(admin, `/api/machines/${hostId}/import`, b);
    expect(r.task, r.task.error ?? "").toMatchObject({ kind: "vm.import", status: "succeeded", targetType: "vm", targetName: b.name });
    const got = await admin.req("GET", `/api/machines/${hostId}/import?task=${r.task.id}`);
    expect(got.status, JSON.stringify(got.json)).toBe(200);
    return got.json.result;
  }

  beforeAll(async () => {
    ({ srv, admin } = await startWithAdmin({ HANGAR_LOCAL_AGENT: "1" }));
    const host = await until("local host online", async () =>
      (await admin.req("GET", "/api/hosts")).json.hosts.find((h: { status: string }) => h.status === "online"),
    );
    hostId = host.id;
    // The scratch pool through Hangar's own API, as an admin would make one.
    expect((await act(admin, `/api/hosts/${hostId}/pools`, { name: pool, path: dir })).task.status).toBe("succeeded");
    expect((await act(admin, `/api/hosts/${hostId}/pools/${pool}/actions`, { action: "start" })).task.status).toBe("succeeded");

    for (const [fmt, file] of [
      ["vmdk", "src.vmdk"],
      ["vdi", "src.vdi"],
      ["vhdx", "src.vhdx"],
    ] as const) {
      qemuImg("create", "-q", "-f", fmt, path.join(dir, file), "64M");
      // A pattern at 1 MiB: the converted disk must carry the data, not just the size.
      execFileSync("qemu-io", ["-f", fmt, "-c", "write -P 0x5a 1M 64k", path.join(dir, file)]);
    }
    ova("good.ova", ovfWith({}), { manifest: "good" });
    ova("e1000.ova", ovfWith({ nicModel: "E1000" }));
    ova("bad-digest.ova", ovfWith({}), { manifest: "bad-disk" });
    ova("bad-xml.ova", "<Envelope><VirtualSystem>not closed");
    ova("bad-memory.ova", ovfWith({ memory: "lots" }));
    ova("bad-units.ova", ovfWith({ memoryUnits: "furlongs" }));
    ova("missing-disk.ova", ovfWith({ diskFile: "disk9.vmdk" }));
    ova("no-system.ova", ovfWith({}).replace(/<VirtualSystem[\s\S]*<\/VirtualSystem>/, ""));
    fs.writeFileSync(path.join(dir, "notes.txt"), "not a disk\n");
    qemuImg("create", "-q", "-f", "qcow2", path.join(stage, "base.qcow2"), "8M");
    qemuImg("create", "-q", "-f", "qcow2", "-b", path.join(stage, "base.qcow2"), "-F", "qcow2", path.join(dir, "overlay.qcow2"));
    // A hand-written VMDK descriptor whose flat extent is a file outside the pool.
    fs.writeFileSync(path.join(stage, "secret.raw"), Buffer.alloc(1024 * 1024, 0x41));
    fs.writeFileSync(
      path.join(dir, "sneaky.vmdk"),
      `# Disk DescriptorFile\nversion=1\nCID=fffffffe\nparentCID=ffffffff\ncreateType="monolithicFlat"\n\nRW 2048 FLAT "${path.join(stage, "secret.raw")}" 0\n\nddb.virtualHWVersion = "4"\nddb.geometry.cylinders = "2"\nddb.geometry.heads = "16"\nddb.geometry.sectors = "63"\nddb.adapterType = "ide"\n`,
    );
    // A streamOptimized VMDK cut short: qemu-img info still reads its header, convert fails
    // halfway through the data (measured: "error while reading at byte 589824").
    const whole = path.join(stage, "whole.vmdk");
    qemuImg("create", "-q", "-f", "vmdk", "-o", "subformat=streamOptimized", whole, "64M");
    execFileSync("qemu-io", ["-f", "vmdk", "-c", "write -P 0x33 0 4M", whole]);
    fs.writeFileSync(path.join(dir, "cut.vmdk"), fs.readFileSync(whole).subarray(0, 70_000));
    virsh("pool-refresh", pool);

    expect((await admin.req("POST", "/api/users", { username: "vic", password: "a long enough password", role: "viewer" })).status).toBe(201);
    viewer = new Client(srv.url);
    expect((await viewer.req("POST", "/api/auth/login", { username: "vic", password: "a long enough password" })).status).toBe(200);
  }, 120_000);

  afterAll(async () => {
    await srv?.stop();
    // Only once vm.create exists can an import define a domain: ours all start with hx-f-.
    for (const d of domains().filter((n) => n.startsWith("hx-f-")))
      for (const a of [
        ["destroy", d],
        ["undefine", d, "--nvram"],
      ])
        try {
          virsh(...a);
        } catch {
          /* not running / gone */
        }
    for (const a of [
      ["net-destroy", net],
      ["net-undefine", net],
    ])
      try {
        virsh(...a);
      } catch {
        /* not active / gone */
      }
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
    fs.rmSync(stage, { recursive: true, force: true });
  });

  it.each([
    ["src.vmdk", "vmdk"],
    ["src.vdi", "vdi"],
    ["src.vhdx", "vhdx"],
  ])("imports %s: a qcow2 (compat 1.1) volume of the same size and data, listed by libvirt", async (file, fmt) => {
    const name = `hx-f-${fmt}`;
    const r = await imported(body(file, name));
    expect(r.sourceFormat).toBe(fmt);
    expect(r.ovf).toBeNull();
    expect(r.volume).toMatchObject({ pool, name: `${name}.qcow2`, format: "qcow2", capacity: 64 * 2 ** 20, path: path.join(dir, `${name}.qcow2`) });
    const info = qemuInfo(r.volume.path);
    expect(info.format).toBe("qcow2");
    expect(info["virtual-size"]).toBe(64 * 2 ** 20);
    expect(info["format-specific"]?.data?.compat).toBe("1.1");
    expect(readsPattern(r.volume.path, "qcow2", "0x5a", "1M")).toBe(true);
    expect(vols()).toContain(`${name}.qcow2`);
    // No OVF: the defaults (1 vCPU, 1 GiB), BIOS, one NIC on the default network.
    expect(r.plan).toMatchObject({ name, vcpus: 1, memoryMiB: 1024, firmware: "bios", nics: [{ network: "default", model: "virtio" }] });
  });

  it("the request's CPU and memory override the defaults", async () => {
    const r = await imported(body("src.vmdk", "hx-f-sized", { vcpus: 2, memoryMiB: 384 }));
    expect(r.plan).toMatchObject({ vcpus: 2, memoryMiB: 384 });
    const xml = virsh("dumpxml", "hx-f-sized");
    expect(xml).toMatch(/<vcpu[^>]*>2<\/vcpu>/);
    expect(xml).toMatch(/<memory unit='KiB'>393216<\/memory>/);
  });

  it("more vCPUs than the host has: a 422 naming vcpus, and the converted volume is gone again", async () => {
    const volsBefore = vols();
    const r = await post(body("src.vmdk", "hx-f-toobig", { vcpus: Math.min(256, os.cpus().length + 1), memoryMiB: 384 }));
    expect(r.status, JSON.stringify(r.json)).toBe(422);
    expect(r.json.error.fields).toHaveProperty("vcpus");
    virsh("pool-refresh", pool);
    expect(vols()).toEqual(volsBefore);
    expect(domains()).not.toContain("hx-f-toobig");
  });

  it("imports an OVA: the OVF's 2 vCPUs, 256 MiB, NIC and disk; its streamOptimized VMDK converted", async () => {
    const r = await imported(body("good.ova", "hx-f-ova"));
    expect(r.sourceFormat).toBe("ova");
    expect(r.ovf).toEqual({
      name: "hx-f-appliance",
      vcpus: 2,
      memoryMiB: 256,
      nics: [{ network: "VM Network", model: "VmxNet3" }],
      firmware: "bios",
      disks: [{ file: "disk1.vmdk", capacity: 64 * 2 ** 20 }],
    });
    // VMware's paravirtual NIC becomes KVM's: virtio.
    expect(r.plan).toMatchObject({ vcpus: 2, memoryMiB: 256, nics: [{ network: "default", model: "virtio", sourceNetwork: "VM Network" }] });
    const info = qemuInfo(r.volume.path);
    expect(info).toMatchObject({ format: "qcow2", "virtual-size": 32 * 2 ** 20 });
    // Neither in the directory nor in libvirt's listing (a dir pool lists dotfiles too).
    expect(fs.readdirSync(dir).filter((f) => f.startsWith(".hangar-import-"))).toEqual([]);
    expect(vols().filter((v) => v.startsWith(".hangar-import-"))).toEqual([]);
    // The VM is defined through vm.create with the OVF's CPUs and memory (a disk with no OS: not started).
    expect(r.created).toBe(true);
    const xml = virsh("dumpxml", "hx-f-ova");
    expect(xml).toMatch(/<vcpu[^>]*>2<\/vcpu>/);
    expect(xml).toMatch(/<memory unit='KiB'>262144<\/memory>/);
    expect(xml).toContain(r.volume.path);
  });

  it("applies the OVF's NIC model: an E1000 NIC stays e1000 on the network the request names", async () => {
    const octet = 10 + (process.pid % 200);
    expect(
      (await act(admin, `/api/hosts/${hostId}/networks`, { name: net, mode: "isolated", address: `172.28.${octet}.1`, prefix: 24 })).task.status,
    ).toBe("succeeded");
    expect((await act(admin, `/api/hosts/${hostId}/networks/${net}/actions`, { action: "start" })).task.status).toBe("succeeded");
    const r = await imported(body("e1000.ova", "hx-f-e1000", { network: net }));
    expect(r.ovf.nics).toEqual([{ network: "VM Network", model: "E1000" }]);
    expect(r.plan.nics).toEqual([{ network: net, model: "e1000", sourceNetwork: "VM Network" }]);
    const xml = virsh("dumpxml", "hx-f-e1000");
    expect(xml).toMatch(new RegExp(`<interface type='network'>[\\s\\S]*<source network='${net}'[\\s\\S]*<model type='e1000'/>`));
    // And through Hangar's own read of the machine.
    const m = await admin.req("GET", `/api/machines/${hostId}/${virsh("domuuid", "hx-f-e1000").trim()}`);
    expect(m.status, JSON.stringify(m.json)).toBe(200);
    expect(m.json.machine.nics).toMatchObject([{ type: "network", source: net, model: "e1000" }]);
    // A network name that cannot exist is refused naming the field, before any conversion.
    const bad = await post(body("e1000.ova", "hx-f-badnet", { network: "a/b" }));
    expect(bad.status, JSON.stringify(bad.json)).toBe(422);
    expect(bad.json.error.fields).toHaveProperty("network");
  });

  it.each([
    ["bad-xml.ova", "ovf"],
    ["bad-memory.ova", "ovf.memory"],
    ["bad-units.ova", "ovf.memory"],
    ["missing-disk.ova", "ovf.disks[0].file"],
    ["no-system.ova", "ovf.VirtualSystem"],
    ["bad-digest.ova", "ovf.disks[0].file"],
  ])("refuses %s with a 422 naming %s; the pool, its directory and the domains are unchanged", async (file, field) => {
    const [volsBefore, filesBefore, domainsBefore] = [vols(), files(), domains()];
    const name = `hx-f-bad-${file.replace(/\W/g, "")}`;
    const r = await post(body(file, name));
    expect(r.status, JSON.stringify(r.json)).toBe(422);
    expect(r.json.error.message.startsWith(`${field}: `), r.json.error.message).toBe(true);
    expect(r.json.error.fields).toHaveProperty([field]);
    virsh("pool-refresh", pool);
    expect(vols()).toEqual(volsBefore);
    expect(files()).toEqual(filesBefore);
    expect(domains()).toEqual(domainsBefore);
    expect(domains()).not.toContain(name);
  });

  it("refuses what is no importable disk, naming sourceVolume, and leaves nothing behind", async () => {
    const filesBefore = files();
    for (const [file, status, why] of [
      ["notes.txt", 422, /sectors/],
      ["overlay.qcow2", 422, /backing file/],
      ["sneaky.vmdk", 422, /extent outside/],
      ["no-such.vmdk", 404, /no volume/],
    ] as const) {
      const r = await post(body(file, "hx-f-refused"));
      expect(r.status, `${file}: ${JSON.stringify(r.json)}`).toBe(status);
      expect(r.json.error.message, file).toMatch(/^sourceVolume: /);
      expect(r.json.error.message, file).toMatch(why);
      expect(r.json.error.fields, file).toHaveProperty("sourceVolume");
    }
    expect(files()).toEqual(filesBefore);
  });

  it("a conversion that fails halfway (a truncated VMDK) is a 422 naming sourceVolume; no temp file, no volume", async () => {
    const [volsBefore, filesBefore] = [vols(), files()];
    const r = await post(body("cut.vmdk", "hx-f-cut"));
    expect(r.status, JSON.stringify(r.json)).toBe(422);
    expect(r.json.error.message).toMatch(/^sourceVolume: qemu-img could not convert it from vmdk: /);
    expect(files()).toEqual(filesBefore);
    expect(vols()).toEqual(volsBefore);
    virsh("pool-refresh", pool);
    expect(vols()).toEqual(volsBefore);
  });

  it("a name whose volume exists is a 409 naming name; a bad name or pool a 4xx naming the field", async () => {
    const taken = await post(body("src.vmdk", "hx-f-vmdk"));
    expect(taken.status, JSON.stringify(taken.json)).toBe(409);
    expect(taken.json.error.fields).toHaveProperty("name");
    for (const [b, status, field] of [
      [body("src.vmdk", "-bad"), 422, "name"],
      [body("src.vmdk", "a/b"), 422, "name"],
      [body("../etc/passwd", "hx-f-x"), 422, "sourceVolume"],
      [{ ...body("src.vmdk", "hx-f-x"), sourcePool: "no-such-pool-hx-f" }, 404, "sourcePool"],
      [{ ...body("src.vmdk", "hx-f-x"), targetPool: "no-such-pool-hx-f" }, 404, "targetPool"],
      [{ ...body("src.vmdk", "hx-f-x"), vcpus: 0 }, 422, "vcpus"],
      [{ ...body("src.vmdk", "hx-f-x"), extra: 1 }, 422, "extra"],
    ] as const) {
      const r = await post(b);
      expect(r.status, JSON.stringify([b, r.json])).toBe(status);
      expect(Object.keys(r.json.error.fields ?? {}).join(",") + r.json.error.message, JSON.stringify(r.json)).toContain(field);
    }
    expect(vols()).not.toContain("hx-f-x.qcow2");
  });

  it("viewers may not import (403) and nothing is made", async () => {
    const r = await viewer.req("POST", `/api/machines/${hostId}/import`, body("src.vmdk", "hx-f-viewer"));
    expect(r.status).toBe(403);
    expect(vols()).not.toContain("hx-f-viewer.qcow2");
  });
});
