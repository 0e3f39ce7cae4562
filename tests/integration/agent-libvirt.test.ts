// The spine against the real thing: server + local agent + libvirtd + QEMU guests. Every
// state change is asserted from an event pushed on /ws/events. An action may answer 200 or
// 202 (it depends on how fast the guest is): each one is followed to its task's end. Each
// test first brings the guests to the state it needs, whatever the previous test left.
import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startWithAdmin, type Client, type TestServer } from "../helpers/server";
import { EventRecorder } from "../helpers/events";
import { machineAction } from "../helpers/tasks";
import { domState, ensureOff, guestReady, guestTo, labSuite, restartLibvirtd, serialLog, until, virsh } from "../helpers/lab";

const VM = "hangar-test-1";
const VM2 = "hangar-test-2";

labSuite("libvirt", "agent + real libvirt", () => {
  let srv: TestServer;
  let admin: Client;
  let ev: EventRecorder;
  let hostId = "";
  let uuid = "";

  /** An action expected to succeed, followed to its end (200 or 202). */
  const act = async (action: string, extra: Record<string, unknown> = {}) => {
    const r = await machineAction(admin, hostId, uuid, action, extra, { recorder: ev });
    expect(r.task, `${action}: ${r.task.error}`).toMatchObject({ kind: `vm.${action}`, status: "succeeded" });
    return r;
  };
  /** An action expected to be refused inline: posted as is, the answer checked by the test. */
  const post = (action: string) => admin.req("POST", `/api/machines/${hostId}/${uuid}/actions`, { action });

  beforeAll(async () => {
    ensureOff(VM);
    ensureOff(VM2);
    ({ srv, admin } = await startWithAdmin({ HANGAR_LOCAL_AGENT: "1" }));
    ev = await EventRecorder.open(srv.url, admin.cookie);
    const host = await until("local host online", async () =>
      (await admin.req("GET", "/api/hosts")).json.hosts.find((h: { status: string }) => h.status === "online"),
    );
    hostId = host.id;
    const row = await until("test guest listed", async () =>
      (await admin.req("GET", "/api/machines")).json.rows.find((r: { name: string }) => r.name === VM),
    );
    uuid = row.uuid;
    expect(row).toMatchObject({ state: "shutoff", persistent: true, hostName: host.name });
    expect(row.graphics[0]).toMatchObject({ type: "vnc", listen: "127.0.0.1" });
  }, 120_000);

  afterAll(async () => {
    ev?.close();
    await srv?.stop();
    ensureOff(VM);
    ensureOff(VM2);
  });

  it("shows host facts from the agent", async () => {
    const h = (await admin.req("GET", `/api/hosts/${hostId}`)).json.host;
    expect(h.facts.libvirtVersion).toMatch(/^\d+\.\d+\.\d+$/);
    expect(h.facts.qemuVersion).toMatch(/^\d+\.\d+/);
    expect(h.facts.cpuCount).toBeGreaterThan(0);
    expect(typeof h.facts.kvm.usable).toBe("boolean");
    expect(h.libvirtConnected).toBe(true);
  });

  it("start: the guest boots (serial shows the shell) and the state change is pushed", async () => {
    await guestTo(VM, "shutoff", admin);
    const m = ev.mark;
    const r = await act("start");
    await ev.waitFor("running pushed", ev.machineState(VM, "running"), m);
    await ev.waitFor("task pushed", (e) => e.type === "task.upsert" && e.task.id === r.task.id && e.task.status === "succeeded", m);
    await until("guest shell prompt on serial", () => guestReady(VM), 60_000, 250);
    expect(domState(VM)).toBe("running");
  });

  it("pause and resume are pushed; pausing twice is refused with libvirt's reason", async () => {
    await guestTo(VM, "running-ready", admin);
    let m = ev.mark;
    await act("suspend");
    await ev.waitFor("paused pushed", ev.machineState(VM, "paused"), m);
    expect(domState(VM)).toBe("paused");
    m = ev.mark;
    await act("resume");
    await ev.waitFor("resumed pushed", ev.machineState(VM, "running"), m);
    const again = await post("resume");
    expect(again.status).toBe(409);
    expect(again.json.error.message).toMatch(/not (paused|suspended)|operation is not valid/i);
  });

  it("reboot: the guest boots again and the reboot is pushed", async () => {
    await guestTo(VM, "running-ready", admin);
    const before = serialLog(VM).split("hangar-guest booted").length;
    const m = ev.mark;
    await act("reboot");
    await ev.waitFor("reboot pushed", (e) => e.type === "machine.upsert" && e.machine.name === VM, m);
    await until("second boot banner", () => serialLog(VM).split("hangar-guest booted").length > before, 60_000, 250);
  });

  it("shutdown (ACPI) and force off each reach shutoff by push", async () => {
    // ACPI needs the guest's power-button handler, set up at the end of its (re)boot.
    await guestTo(VM, "running-ready", admin);
    let m = ev.mark;
    await act("shutdown");
    await ev.waitFor("shutoff after ACPI", ev.machineState(VM, "shutoff"), m, 60_000);
    m = ev.mark;
    await act("start");
    await ev.waitFor("running", ev.machineState(VM, "running"), m);
    m = ev.mark;
    await act("destroy");
    await ev.waitFor("shutoff after force off", ev.machineState(VM, "shutoff"), m);
    expect(domState(VM)).toBe("shut off");
  });

  it("an action invalid for the state → 409 with libvirt's reason", async () => {
    // No earlier task may still hold the machine: the refusal must be libvirt's, not "busy".
    await guestTo(VM, "shutoff", admin);
    const r = await post("suspend");
    expect(r.status).toBe(409);
    expect(r.json.error.message).toMatch(/not running/i);
    const tasks = (await admin.req("GET", "/api/tasks")).json.tasks;
    expect(tasks[0]).toMatchObject({ kind: "vm.suspend", status: "failed" });
  });

  it("autostart on/off is applied and pushed", async () => {
    await guestTo(VM, "shutoff", admin);
    const m = ev.mark;
    await act("autostart", { enabled: true });
    await ev.waitFor("autostart pushed", (e) => e.type === "machine.upsert" && e.machine.name === VM && e.machine.autostart, m);
    expect(virsh("dominfo", VM)).toMatch(/Autostart:\s+enable/);
    await act("autostart", { enabled: false });
    expect(virsh("dominfo", VM)).toMatch(/Autostart:\s+disable/);
  });

  it("a VM started and stopped behind Hangar's back (virsh) shows up by push", async () => {
    await guestTo(VM2, "shutoff", admin);
    let m = ev.mark;
    virsh("start", VM2);
    const up = await ev.waitFor("virsh start pushed", ev.machineState(VM2, "running"), m);
    m = ev.mark;
    virsh("destroy", VM2);
    await ev.waitFor("virsh destroy pushed", ev.machineState(VM2, "shutoff"), m);
    expect(up.type).toBe("machine.upsert");
  });

  it("killing the agent mid-action: task unknown, host offline within 10 s; back online and reconciled", async () => {
    await guestTo(VM, "shutoff", admin);
    const agentPid = Number(
      execFileSync("pgrep", ["-f", `agent.mjs --server http://127.0.0.1:${srv.port}`], { encoding: "utf8" })
        .trim()
        .split("\n")[0],
    );
    expect(agentPid).toBeGreaterThan(0);
    process.kill(agentPid, "SIGSTOP"); // frozen: the action below is sent but never answered
    const m = ev.mark;
    const r = await post("start");
    expect(r.status).toBe(202);
    const killedAt = Date.now();
    process.kill(agentPid, "SIGKILL");
    await ev.waitFor("host offline", (e) => e.type === "machines.host" && e.hostId === hostId && e.stale, m, 10_000);
    expect(Date.now() - killedAt).toBeLessThan(10_000);
    await ev.waitFor("task unknown", (e) => e.type === "task.upsert" && e.task.id === r.json.task.id && e.task.status === "unknown", m, 10_000);
    const afterUnknown = ev.mark;
    // The server's supervisor restarts its local agent; the fleet view recovers.
    await ev.waitFor("host back", (e) => e.type === "machines.host" && e.hostId === hostId && !e.stale, m, 30_000);
    const settled = await ev.waitFor(
      "task reconciled",
      (e) => e.type === "task.upsert" && e.task.id === r.json.task.id && e.task.status !== "unknown",
      afterUnknown,
      30_000,
    );
    // The start never ran (the agent was frozen), and the inventory says so.
    expect(settled.type === "task.upsert" && settled.task.status).toBe("failed");
    expect(domState(VM)).toBe("shut off");
  });

  it("restarting libvirtd under a running agent: the gap shows, then the true state; events flow again", async () => {
    await guestTo(VM2, "shutoff", admin);
    let m = ev.mark;
    restartLibvirtd();
    await ev.waitFor("host changed (libvirt down/up)", (e) => e.type === "host.changed" && e.hostId === hostId, m, 30_000);
    await ev.waitFor("resync after libvirtd restart", (e) => e.type === "machines.host" && e.hostId === hostId && !e.stale, m, 30_000);
    await until(
      "libvirt connected again",
      async () => (await admin.req("GET", `/api/hosts/${hostId}`)).json.host.libvirtConnected === true,
      30_000,
      200,
    );
    m = ev.mark;
    virsh("start", VM2);
    await ev.waitFor("events registered again", ev.machineState(VM2, "running"), m);
    virsh("destroy", VM2);
  });
});
