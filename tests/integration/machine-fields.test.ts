// Every field of the machine row (GET /api/machines) and of the detail
// (GET /api/machines/{host}/{uuid}) against libvirt's own answer (virsh), for running,
// paused and shut-off domains with autostart on and off. Changes are made behind Hangar's
// back with virsh (out of band) and through Hangar's API; each check waits for the pushed
// change to land, then compares the whole row with what libvirt says at that moment.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startWithAdmin, type Client, type TestServer } from "../helpers/server";
import { EventRecorder } from "../helpers/events";
import { ensureOff, LAB_DIR, until, virsh, labSuite } from "../helpers/lab";
import { libvirtTruth } from "../helpers/libvirt-truth";

const GUESTS = ["hangar-test-1", "hangar-test-2"];
const TEST_DOM = `hangar-fields-${process.pid}`;
const ROW_KEYS = [
  "uuid",
  "name",
  "id",
  "state",
  "stateReason",
  "vcpus",
  "memoryKiB",
  "maxMemoryKiB",
  "autostart",
  "persistent",
  "virtType",
  "osType",
  "graphics",
  "serials",
  "disks",
  "nics",
  "hostId",
  "hostName",
  "stale",
  "observedAt",
  // Hangar's own, not libvirt's (scoped access).
  "tags",
  // Which engine reports it (libvirt here; KubeVirt machines say kubevirt).
  "engine",
].sort();

function virtType(): string {
  const f = path.join(LAB_DIR, "guest-virt-type");
  return fs.existsSync(f) ? fs.readFileSync(f, "utf8").trim() : "qemu";
}

/**
 * A cheap domain whose fields all differ from their defaults: 1 of 2 vCPUs online, current
 * memory below the maximum, a file disk and an empty CD-ROM, a user-mode NIC, VNC and a
 * pty serial. Diskless boot: SeaBIOS finds nothing and waits, which is all we need.
 */
function defineTestDomain(disk: string): void {
  fs.writeFileSync(disk, Buffer.alloc(1024 * 1024));
  const xml = `<domain type='${virtType()}'><name>${TEST_DOM}</name>
    <memory unit='MiB'>64</memory><currentMemory unit='MiB'>48</currentMemory><vcpu current='1'>2</vcpu>
    <os><type arch='x86_64'>hvm</type></os>
    <devices>
      <disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='${disk}'/><target dev='vda' bus='virtio'/></disk>
      <disk type='file' device='cdrom'><driver name='qemu' type='raw'/><target dev='hdc' bus='ide'/><readonly/></disk>
      <interface type='user'><mac address='52:54:00:4a:11:7e'/><model type='virtio'/></interface>
      <serial type='pty'><target port='0'/></serial>
      <graphics type='vnc' listen='127.0.0.1'/>
    </devices></domain>`;
  const file = path.join(os.tmpdir(), `${TEST_DOM}.xml`);
  fs.writeFileSync(file, xml);
  virsh("define", file);
  fs.rmSync(file);
}

labSuite("libvirt", "machine row and detail tell libvirt's truth", () => {
  let srv: TestServer;
  let admin: Client;
  let ev: EventRecorder;
  let hostId = "";
  let hostName = "";
  const uuids = new Map<string, string>();
  const disk = path.join(os.tmpdir(), `${TEST_DOM}.img`);

  beforeAll(async () => {
    for (const g of GUESTS) {
      ensureOff(g);
      virsh("autostart", "--disable", g);
    }
    defineTestDomain(disk);
    // Autostart on for a shut-off domain from the start: the inventory must say so.
    virsh("autostart", TEST_DOM);
    ({ srv, admin } = await startWithAdmin({ HANGAR_LOCAL_AGENT: "1" }));
    ev = await EventRecorder.open(srv.url, admin.cookie);
    const host = await until("local host online", async () =>
      (await admin.req("GET", "/api/hosts")).json.hosts.find((h: { status: string }) => h.status === "online"),
    );
    hostId = host.id;
    hostName = host.name;
    for (const n of [...GUESTS, TEST_DOM]) {
      const row = await until(`${n} listed`, async () =>
        (await admin.req("GET", "/api/machines")).json.rows.find((r: { name: string }) => r.name === n),
      );
      uuids.set(n, row.uuid);
    }
  }, 120_000);

  afterAll(async () => {
    ev?.close();
    await srv?.stop();
    // Leave the shared guests as we found them: shut off, autostart off.
    for (const g of GUESTS) {
      ensureOff(g);
      virsh("autostart", "--disable", g);
    }
    ensureOff(TEST_DOM);
    try {
      virsh("undefine", TEST_DOM);
    } catch {
      /* never defined */
    }
    fs.rmSync(disk, { force: true });
  });

  const rowOf = async (name: string) => (await admin.req("GET", "/api/machines")).json.rows.find((r: { name: string }) => r.name === name) ?? null;
  const detailOf = async (name: string) => (await admin.req("GET", `/api/machines/${hostId}/${uuids.get(name)}`)).json;

  /**
   * Row and detail match libvirt. Waits (bounded) for the pushed change to settle, since a
   * libvirt action can raise more than one event; a field that stays wrong fails with the
   * whole diff.
   */
  async function expectTruth(name: string): Promise<void> {
    const strip = (m: Record<string, unknown> | null) => {
      if (!m) return m;
      const rest = { ...m };
      for (const k of ["hostId", "hostName", "stale", "observedAt", "tags", "engine"]) delete rest[k];
      return rest;
    };
    let last: { row: any; detail: any; truth: ReturnType<typeof libvirtTruth> } | null = null;
    await until(
      `${name} row and detail equal libvirt's answer`,
      async () => {
        const [row, detail] = [await rowOf(name), await detailOf(name)];
        const truth = libvirtTruth(name);
        last = { row, detail, truth };
        return (
          JSON.stringify(strip(row)) === JSON.stringify(truth.summary) && JSON.stringify(strip(detail?.machine)) === JSON.stringify(truth.summary)
        );
      },
      5000,
      200,
    ).catch(() => undefined);
    const { row, detail, truth } = last!;
    expect(Object.keys(row).sort()).toEqual(ROW_KEYS);
    expect(strip(row)).toEqual(truth.summary);
    expect(row).toMatchObject({ hostId, hostName, stale: false, engine: "libvirt" });
    expect(Date.parse(row.observedAt)).toBeLessThanOrEqual(Date.now());
    expect(hostName).toBe(virsh("hostname"));
    expect(Object.keys(detail.machine).sort()).toEqual(ROW_KEYS);
    expect(strip(detail.machine)).toEqual(truth.summary);
    expect(detail.xml.trim()).toBe(truth.xml.trim());
  }

  const pushed = (name: string, state: string, from: number) => ev.waitFor(`${name} ${state} pushed`, ev.machineState(name, state), from);

  it("shut off: autostart off (the lab guests) and on (a test domain)", async () => {
    for (const n of [...GUESTS, TEST_DOM]) await expectTruth(n);
  });

  it("running, paused and shut off again, changed behind Hangar's back with virsh", async () => {
    for (const n of [GUESTS[1]!, TEST_DOM]) {
      let m = ev.mark;
      virsh("start", n);
      await pushed(n, "running", m);
      await expectTruth(n);
      m = ev.mark;
      virsh("suspend", n);
      await pushed(n, "paused", m);
      await expectTruth(n);
      m = ev.mark;
      virsh("resume", n);
      await pushed(n, "running", m);
      await expectTruth(n);
      m = ev.mark;
      virsh("destroy", n);
      await pushed(n, "shutoff", m);
      await expectTruth(n);
    }
  });

  it("autostart switched through Hangar while running, paused and shut off", async () => {
    const n = GUESTS[1]!;
    const setAutostart = async (enabled: boolean) => {
      const r = await admin.req("POST", `/api/machines/${hostId}/${uuids.get(n)}/actions`, { action: "autostart", enabled });
      expect(r.status).toBe(200);
      expect(virsh("dominfo", n)).toMatch(new RegExp(`Autostart:\\s+${enabled ? "enable" : "disable"}`));
    };
    let m = ev.mark;
    virsh("start", n);
    await pushed(n, "running", m);
    await setAutostart(true);
    await expectTruth(n);
    m = ev.mark;
    virsh("suspend", n);
    await pushed(n, "paused", m);
    await expectTruth(n);
    await setAutostart(false);
    await expectTruth(n);
    await setAutostart(true);
    m = ev.mark;
    virsh("destroy", n);
    await pushed(n, "shutoff", m);
    await expectTruth(n);
    await setAutostart(false);
    await expectTruth(n);
  });
});
