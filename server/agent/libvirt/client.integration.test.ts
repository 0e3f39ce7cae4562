// Against the real libvirtd of this machine: run with HANGAR_LIBVIRT=1 (root, daemon up,
// see docs/decisions/0001-libvirt-transport.md); without it the suite skips, or fails under
// CI / HANGAR_REQUIRE_LAB=1. HANGAR_LIBVIRT_VIRTTYPE=qemu|kvm forces the domain type
// instead of detecting it. Creates one tiny diskless domain and always removes it again.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { afterAll, beforeAll, expect, it } from "vitest";
import { labSuite } from "../../../tests/helpers/lab";
import {
  connectGetAllDomainStats,
  connectGetCapabilities,
  connectGetLibVersion,
  connectGetVersion,
  connectListAllDomains,
  domainCreate,
  domainDefineXml,
  domainDestroy,
  domainGetAutostart,
  domainGetInfo,
  domainGetState,
  domainGetXmlDesc,
  domainLookupByUuid,
  domainOpenConsole,
  domainReset,
  domainResume,
  domainScreenshot,
  domainSetAutostart,
  domainSuspend,
  domainUndefine,
  CreateFlags,
  DomainEventId,
  DomainState,
  ErrorCode,
  LibvirtClient,
  LibvirtError,
  LifecycleEvent,
  ListDomainsFlags,
  type DomainRef,
  type LifecycleEventPayload,
} from "./index";

/**
 * KVM only where it really works: /dev/kvm must open read-write here, and libvirt must
 * offer kvm guests (it checks access for the QEMU user, which may differ from ours).
 */
function kvmOpens(): boolean {
  try {
    fs.closeSync(fs.openSync("/dev/kvm", "r+"));
    return true;
  } catch {
    return false;
  }
}

function domainXml(name: string, type: "kvm" | "qemu"): string {
  return `<domain type='${type}'>
  <name>${name}</name>
  <memory unit='MiB'>32</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64'>hvm</type><bios useserial='yes'/></os>
  <devices>
    <graphics type='vnc' autoport='yes' listen='127.0.0.1'/>
    <serial type='pty'/>
    <console type='pty'/>
  </devices>
</domain>`;
}

labSuite("libvirt", "LibvirtClient against the real libvirtd", () => {
  const client = new LibvirtClient({ callTimeoutMs: 60_000 });
  const name = `hangar-rpc-test-${randomBytes(4).toString("hex")}`;
  const events: LifecycleEventPayload[] = [];
  const waiters: Array<() => void> = [];
  let dom: DomainRef | null = null;
  let virtType: "kvm" | "qemu" = "qemu";

  /** Resolves with the first lifecycle event (past or future) of our domain matching `event`. */
  function lifecycle(event: number, since: number, timeoutMs = 15_000): Promise<LifecycleEventPayload> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const hit = events.slice(since).find((e) => e.dom.name === name && e.event === event);
        if (hit) {
          clearTimeout(timer);
          resolve(hit);
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => reject(new Error(`no lifecycle event ${event} within ${timeoutMs} ms`)), timeoutMs);
      if (!check()) waiters.push(() => void check());
    });
  }

  beforeAll(async () => {
    await client.connect("qemu:///system");
    client.on("lifecycle", (e) => {
      events.push(e);
      for (const w of waiters.splice(0)) w();
    });
    await client.registerDomainEvent(DomainEventId.LIFECYCLE);
    const caps = await connectGetCapabilities(client);
    const forced = process.env.HANGAR_LIBVIRT_VIRTTYPE;
    virtType = forced === "kvm" || forced === "qemu" ? forced : kvmOpens() && caps.includes("<domain type='kvm'") ? "kvm" : "qemu";
  });

  afterAll(async () => {
    if (dom) {
      await domainDestroy(client, dom).catch(() => undefined);
      await domainUndefine(client, dom).catch(() => undefined);
    }
    await client.close();
  });

  it("reports libvirt and QEMU versions", async () => {
    const lib = await connectGetLibVersion(client);
    const hv = await connectGetVersion(client);
    const virsh = execFileSync("virsh", ["-c", "qemu:///system", "version"], { encoding: "utf8" });
    expect(virsh).toContain(`Running hypervisor: QEMU ${hv.major}.${hv.minor}.${hv.release}`);
    expect(lib.major).toBeGreaterThanOrEqual(6);
  });

  it("runs a domain through its life cycle with events, stats, console and screenshot", async () => {
    let mark = events.length;
    dom = await domainDefineXml(client, domainXml(name, virtType));
    expect(dom.name).toBe(name);
    expect(dom.id).toBe(-1);
    await lifecycle(LifecycleEvent.DEFINED, mark);

    const inactive = await connectListAllDomains(client, ListDomainsFlags.INACTIVE);
    expect(inactive.map((d) => d.uuid)).toContain(dom.uuid);
    expect(await domainLookupByUuid(client, dom.uuid)).toEqual(dom);

    // An action invalid for the state: libvirt's own code and message come through.
    const err = await domainSuspend(client, dom).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LibvirtError);
    expect((err as LibvirtError).code).toBe(ErrorCode.OPERATION_INVALID);
    expect((err as LibvirtError).message).toMatch(/not running/);

    // Start paused so the console is attached before the firmware prints anything.
    mark = events.length;
    const started = await domainCreate(client, dom, CreateFlags.PAUSED);
    expect(started.id).toBeGreaterThan(0);
    const ev = await lifecycle(LifecycleEvent.STARTED, mark);
    expect(ev.dom.uuid).toBe(dom.uuid);
    expect(await domainGetState(client, dom)).toMatchObject({ state: DomainState.PAUSED });
    const con = await domainOpenConsole(client, dom);
    let text = "";
    con.on("data", (d: Buffer) => (text += d.toString("latin1")));
    mark = events.length;
    await domainResume(client, dom);
    await lifecycle(LifecycleEvent.RESUMED, mark);
    expect(await domainGetState(client, dom)).toMatchObject({ state: DomainState.RUNNING });
    // Real console output: SeaBIOS prints its banner on the serial port (useserial).
    for (let i = 0; i < 100 && !text.includes("SeaBIOS"); i++) await new Promise((r) => setTimeout(r, 100));
    expect(text).toContain("SeaBIOS");
    expect(execFileSync("virsh", ["-c", "qemu:///system", "domstate", name], { encoding: "utf8" }).trim()).toBe("running");

    mark = events.length;
    await domainSuspend(client, dom);
    await lifecycle(LifecycleEvent.SUSPENDED, mark);
    expect((await domainGetState(client, dom)).state).toBe(DomainState.PAUSED);
    mark = events.length;
    await domainResume(client, dom);
    await lifecycle(LifecycleEvent.RESUMED, mark);

    const [rec, ...more] = await connectGetAllDomainStats(client, 0, 0, [dom]);
    expect(more).toEqual([]);
    expect(rec?.dom.uuid).toBe(dom.uuid);
    expect(rec?.stats["state.state"]).toBe(DomainState.RUNNING);
    expect(typeof rec?.stats["cpu.time"]).toBe("bigint");
    expect(rec?.stats["balloon.maximum"]).toBe(32768n);
    const all = await connectGetAllDomainStats(client, 0, 0);
    expect(all.map((r) => r.dom.name)).toContain(name);

    const info = await domainGetInfo(client, dom);
    expect(info).toMatchObject({ state: DomainState.RUNNING, maxMem: 32768n, nrVirtCpu: 1 });

    const xml = await domainGetXmlDesc(client, dom);
    expect(xml).toContain(`<name>${name}</name>`);
    expect(xml).toMatch(/<graphics type='vnc' port='\d+'/);

    expect(await domainGetAutostart(client, dom)).toBe(false);
    await domainSetAutostart(client, dom, true);
    expect(await domainGetAutostart(client, dom)).toBe(true);
    await domainSetAutostart(client, dom, false);

    con.write("\r\n");
    // One console session at a time: close() must really release it.
    const second = await domainOpenConsole(client, dom).catch((e: unknown) => e);
    expect(second).toBeInstanceOf(LibvirtError);
    await con.close();
    // libvirtd frees the session in its own event loop right after the stream ends; under
    // load that can trail our close() by a moment.
    let again: Awaited<ReturnType<typeof domainOpenConsole>> | null = null;
    for (let i = 0; i < 20 && !again; i++) {
      again = await domainOpenConsole(client, dom).catch(async () => (await new Promise((r) => setTimeout(r, 100)), null));
    }
    expect(again).not.toBeNull();
    await again!.close();

    await domainReset(client, dom);
    const shot = await domainScreenshot(client, dom);
    expect(shot.data.length).toBeGreaterThan(100);
    expect(shot.data.subarray(0, 4).toString("latin1")).toBe("\x89PNG");

    mark = events.length;
    await domainDestroy(client, dom);
    await lifecycle(LifecycleEvent.STOPPED, mark);
    await domainUndefine(client, dom);
    await lifecycle(LifecycleEvent.UNDEFINED, mark);
    const gone = await domainLookupByUuid(client, dom.uuid).catch((e: unknown) => e);
    expect((gone as LibvirtError).code).toBe(ErrorCode.NO_DOMAIN);
    dom = null;
  });
});
