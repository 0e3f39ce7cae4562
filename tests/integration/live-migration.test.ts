// Live migration between two real libvirtd on this machine (the second one from
// scripts/lab/second-libvirt-up.sh, in its own mount namespace with its own host UUID), each
// driven by its own real agent: a booted guest moves through the REST API with progress
// events, keeps running (its uptime goes on) and answers on its serial console on the target;
// a cancel leaves it running on the source; refusals name targetHostId and change nothing.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { BrowserEvent, TaskRow } from "../../server/protocol";
import { Client, startWithAdmin, type TestServer } from "../helpers/server";
import { EventRecorder } from "../helpers/events";
import { LAB_DIR, labSuite, until } from "../helpers/lab";
import { collectText, openConsole, ticket } from "../helpers/console";
import { finalTask } from "../helpers/tasks";

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const SOCK_A = "/run/libvirt/libvirt-sock";
const SOCK_B = path.join(LAB_DIR, "libvirt-b", "sock", "libvirt-sock");
const URI_A = `qemu+unix:///system?socket=${SOCK_A}`;
const URI_B = `qemu+unix:///system?socket=${SOCK_B}`;
const VM = `hx-migrate-${process.pid}`;
const SERIAL_LOG = path.join(LAB_DIR, "logs", `${VM}.serial.log`);

function virshOn(uri: string, ...args: string[]): string {
  return execFileSync("virsh", ["-c", uri, ...args], { encoding: "utf8", timeout: 60_000, stdio: ["ignore", "pipe", "pipe"] }).trim();
}
/** libvirt's own view: the domain's state on that daemon, or null when it has no such domain. */
function stateOn(uri: string): string | null {
  try {
    return virshOn(uri, "domstate", VM).split("\n")[0]!;
  } catch {
    return null;
  }
}
function removeEverywhere(): void {
  for (const uri of [URI_A, URI_B]) {
    for (const cmd of [
      ["destroy", VM],
      ["undefine", VM],
    ]) {
      try {
        virshOn(uri, ...cmd);
      } catch {
        /* not there */
      }
    }
  }
}

/** A tiny real guest (the lab's kernel + busybox initrd) with a serial console, on the first daemon. */
function defineGuest(): void {
  const g = path.join(LAB_DIR, "guest");
  const xml = path.join(os.tmpdir(), `${VM}.xml`);
  fs.writeFileSync(
    xml,
    `<domain type='${process.env.HANGAR_VIRT_TYPE ?? "qemu"}'><name>${VM}</name><memory unit='MiB'>128</memory><vcpu>1</vcpu>
  <os><type arch='x86_64'>hvm</type><kernel>${g}/vmlinuz</kernel><initrd>${g}/initrd.gz</initrd><cmdline>console=ttyS0</cmdline></os>
  <devices><serial type='pty'><log file='${SERIAL_LOG}' append='on'/><target port='0'/></serial><console type='pty'><target type='serial' port='0'/></console></devices></domain>`,
  );
  try {
    virshOn(URI_A, "define", xml);
  } finally {
    fs.rmSync(xml, { force: true });
  }
}

labSuite("libvirt", "live migration between two libvirt hosts", () => {
  let srv: TestServer;
  let admin: Client;
  let ev: EventRecorder;
  let hostA = "";
  let hostB = "";
  let hostC = "";
  let uuid = "";
  const agents: { proc: ChildProcess; state: string; name: string }[] = [];

  /** Adds a host through the API and runs the enrollment command Hangar gives, against one daemon. */
  async function enrollReal(name: string, socket: string, migrationUri: string): Promise<string> {
    const r = await admin.req("POST", "/api/hosts", { name });
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    const state = fs.mkdtempSync(path.join(os.tmpdir(), "hx-migrate-agent-"));
    const proc = spawn("bash", ["-c", r.json.command as string], {
      env: {
        ...process.env,
        HANGAR_AGENT_STATE: state,
        HANGAR_AGENT_ENV_FILE: "/nonexistent",
        HANGAR_LIBVIRT_SOCKET: socket,
        HANGAR_MIGRATION_URI: migrationUri,
      },
      stdio: ["ignore", fs.openSync(path.join(state, "agent.log"), "a"), fs.openSync(path.join(state, "agent.log"), "a")],
      detached: true,
    });
    agents.push({ proc, state, name });
    const id = r.json.host.id as string;
    await until(
      `${name} online with libvirt`,
      async () => {
        const h = (await admin.req("GET", `/api/hosts/${id}`)).json.host;
        return h?.status === "online" && h.libvirtConnected === true && h.facts?.migrationUri === migrationUri;
      },
      60_000,
      200,
    );
    return id;
  }

  const machineOn = async (hostId: string) =>
    ((await admin.req("GET", "/api/machines?limit=1000")).json.rows as { hostId: string; name: string; uuid: string; state: string }[]).find(
      (m) => m.hostId === hostId && m.name === VM,
    );
  const migrate = (body: Record<string, unknown>, hostId = hostA) => admin.req("POST", `/api/machines/${hostId}/${uuid}/migrate`, body);
  const migrateTasks = async () => ((await admin.req("GET", "/api/tasks?limit=1000")).json.tasks as TaskRow[]).filter((t) => t.kind === "vm.migrate");
  const progressOf = (taskId: string, from: number) =>
    ev.events
      .slice(from)
      .filter(
        (e): e is Extract<BrowserEvent, { type: "task.progress" }> & { receivedAt: number } => e.type === "task.progress" && e.taskId === taskId,
      );

  /** The guest's uptime in seconds, read through Hangar's serial console of the host it is on. */
  async function uptimeVia(hostId: string): Promise<number> {
    const t = await ticket(admin, hostId, uuid, { kind: "serial" });
    expect(t.status, JSON.stringify(t.json)).toBe(200);
    const c = await openConsole(srv.url, admin.cookie, t.json.protocols);
    expect(c.status).toBe(101);
    const out = collectText(c.ws!, "latin1");
    await new Promise((r) => setTimeout(r, 300));
    const tag = `U${Math.random().toString(36).slice(2, 8)}`;
    c.ws!.send(Buffer.from(`echo ${tag}-$(cut -d' ' -f1 /proc/uptime)-END\n`));
    const m = await until("uptime printed by the guest", () => new RegExp(`${tag}-([0-9.]+)-END`).exec(out.text()), 20_000);
    c.ws!.close();
    return Number(m[1]);
  }

  beforeAll(async () => {
    execFileSync("bash", [path.join(ROOT, "scripts", "lab", "second-libvirt-up.sh")], { stdio: "ignore", timeout: 180_000 });
    removeEverywhere();
    fs.rmSync(SERIAL_LOG, { force: true });
    defineGuest();
    virshOn(URI_A, "start", VM);
    ({ srv, admin } = await startWithAdmin());
    ev = await EventRecorder.open(srv.url, admin.cookie);
    hostA = await enrollReal("hx-migrate-a", SOCK_A, URI_A);
    hostB = await enrollReal("hx-migrate-b", SOCK_B, URI_B);
    // A host that never connects: offline as a target.
    hostC = (await admin.req("POST", "/api/hosts", { name: "hx-migrate-c" })).json.host.id;
    uuid = (
      await until("guest running on host A", async () => {
        const row = await machineOn(hostA);
        return row?.state === "running" ? row : null;
      })
    ).uuid;
    await until(
      "guest booted to its shell",
      () => fs.existsSync(SERIAL_LOG) && fs.readFileSync(SERIAL_LOG, "latin1").includes("hangar-guest:"),
      90_000,
      250,
    );
  }, 240_000);

  afterAll(async () => {
    ev?.close();
    // The agents' own logs, for a failure's story.
    for (const a of agents) console.log(fs.readFileSync(path.join(a.state, "agent.log"), "utf8").slice(-3000));
    for (const a of agents) {
      try {
        if (a.proc.pid) process.kill(-a.proc.pid, "SIGTERM");
      } catch {
        /* already stopped */
      }
      fs.rmSync(a.state, { recursive: true, force: true });
    }
    await srv?.stop();
    removeEverywhere();
    fs.rmSync(SERIAL_LOG, { force: true });
  });

  it("refuses the same host, an unknown host and an offline host, naming targetHostId, and changes nothing", async () => {
    const cases: [Record<string, unknown>, number, RegExp][] = [
      [{ targetHostId: hostA }, 400, /already runs on this host/],
      [{ targetHostId: "no-such-host" }, 404, /no host no-such-host/],
      [{ targetHostId: hostC }, 409, /offline/],
    ];
    for (const [body, status, message] of cases) {
      const r = await migrate(body);
      expect(r.status, JSON.stringify(r.json)).toBe(status);
      expect(r.json.error.fields.targetHostId).toMatch(message);
    }
    // A missing target and an unknown option: 422 naming the field, before anything is looked up.
    const missing = await migrate({});
    expect(missing.status).toBe(422);
    expect(missing.json.error.fields).toHaveProperty("targetHostId");
    const unknown = await migrate({ targetHostId: hostB, offline: true });
    expect(unknown.status).toBe(422);
    expect(await migrateTasks()).toEqual([]);
    expect(stateOn(URI_A)).toBe("running");
    expect(stateOn(URI_B)).toBeNull();
  });

  it("refuses a target its libvirtd cannot reach, and a second record of the same libvirtd; the guest stays", async () => {
    // A host whose agent names a URI the source daemon cannot open (and it runs on the second daemon).
    const lost = await enrollReal("hx-migrate-lost", SOCK_B, "qemu+unix:///system?socket=/nonexistent/libvirt-sock");
    const r = await migrate({ targetHostId: lost });
    expect(r.status, JSON.stringify(r.json)).toBe(422);
    expect(r.json.error.fields.targetHostId).toMatch(/cannot reach qemu\+unix:\/\/\/system\?socket=\/nonexistent/);
    // One libvirtd behind two host records: libvirt's host UUID says they are one host.
    const twin = await enrollReal("hx-migrate-twin", SOCK_A, URI_A);
    const t = await migrate({ targetHostId: twin });
    expect(t.status, JSON.stringify(t.json)).toBe(400);
    expect(t.json.error.fields.targetHostId).toMatch(/same libvirt host/);
    expect(stateOn(URI_A)).toBe("running");
    expect(stateOn(URI_B)).toBeNull();
    expect((await machineOn(hostA))?.state).toBe("running");
    // Both agents stop and their hosts go: the next tests see one record per daemon.
    for (const a of agents.filter((x) => x.name === "hx-migrate-lost" || x.name === "hx-migrate-twin"))
      if (a.proc.pid) process.kill(-a.proc.pid, "SIGTERM");
    for (const id of [lost, twin]) expect((await admin.req("DELETE", `/api/hosts/${id}`)).status).toBeLessThan(300);
  }, 120_000);

  it("a cancel mid-way aborts libvirt's job: the guest keeps running on the source, nothing on the target", async () => {
    const mark = ev.mark;
    // 1 MiB/s: the guest's ~30 MiB of non-zero memory takes far longer than the cancel.
    const r = await migrate({ targetHostId: hostB, bandwidthMiBps: 1 });
    expect(r.status, JSON.stringify(r.json)).toBe(202);
    const taskId = r.json.task.id as string;
    await until("migration under way", () => progressOf(taskId, mark).some((e) => e.done > 0), 30_000, 50);
    const c = await admin.req("POST", `/api/tasks/${taskId}/cancel`);
    expect(c.status, JSON.stringify(c.json)).toBe(202);
    const task = await finalTask(admin, taskId, { recorder: ev, from: mark, timeoutMs: 30_000 });
    expect(task.status).toBe("failed");
    expect(task.error).toMatch(/^Cancelled by admin: /);
    expect(stateOn(URI_A)).toBe("running");
    expect(stateOn(URI_B)).toBeNull();
    expect((await machineOn(hostA))?.state).toBe("running");
    expect(await machineOn(hostB)).toBeUndefined();
  }, 90_000);

  it("moves the running guest to the other host with progress; it keeps running there and answers on its serial console", async () => {
    const before = await uptimeVia(hostA);
    const mark = ev.mark;
    const t0 = Date.now();
    // A cap so the copy lasts a few seconds and its progress is seen on the way.
    const r = await migrate({ targetHostId: hostB, bandwidthMiBps: 8 }, hostA);
    expect([200, 202], JSON.stringify(r.json)).toContain(r.status);
    const task = await finalTask(admin, r.json.task.id, { recorder: ev, from: mark, timeoutMs: 120_000 });
    console.log(`migration took ${Date.now() - t0} ms`);
    expect(task, task.error ?? "").toMatchObject({ kind: "vm.migrate", status: "succeeded", hostId: hostA, targetId: uuid });
    const seen = progressOf(task.id, mark);
    expect(seen.length, JSON.stringify(seen)).toBeGreaterThanOrEqual(1);
    expect(seen.some((e) => e.done > 0 && e.total !== null && e.total > 0)).toBe(true);
    // libvirt's own view: running on the second daemon, persistent there, gone from the first.
    expect(stateOn(URI_B)).toBe("running");
    expect(virshOn(URI_B, "dominfo", VM)).toMatch(/Persistent:\s+yes/);
    expect(stateOn(URI_A)).toBeNull();
    // Both inventories follow by events: removed from A, running on B, same uuid.
    await ev.waitFor("removed from host A", (e) => e.type === "machine.remove" && e.hostId === hostA && e.uuid === uuid, mark, 30_000);
    await ev.waitFor(
      "running on host B",
      (e) => e.type === "machine.upsert" && e.machine.hostId === hostB && e.machine.uuid === uuid && e.machine.state === "running",
      mark,
      30_000,
    );
    expect(await machineOn(hostA)).toBeUndefined();
    // Not rebooted: its uptime went on from where it was.
    const after = await uptimeVia(hostB);
    expect(after).toBeGreaterThan(before);
    // Back again, now from the second host: the first is a target like any other.
    const back = await migrate({ targetHostId: hostA }, hostB);
    expect([200, 202], JSON.stringify(back.json)).toContain(back.status);
    expect((await finalTask(admin, back.json.task.id, { recorder: ev, from: mark, timeoutMs: 120_000 })).status).toBe("succeeded");
    expect(stateOn(URI_A)).toBe("running");
    expect(stateOn(URI_B)).toBeNull();
    await until("gone from host B's inventory", async () => !(await machineOn(hostB))).catch(async (e: unknown) => {
      console.log("B row still:", JSON.stringify(await machineOn(hostB)), "B virsh:", virshOn(URI_B, "list", "--all"));
      throw e;
    });
    expect(await uptimeVia(hostA)).toBeGreaterThan(after);
  }, 240_000);

  it("vm.migrate is checked on the VM and on the target host: an operator of host A alone may not move it to B, nor a viewer at all", async () => {
    const PASSWORD = "migrate-test-password-1";
    const signedIn = async (username: string, role: string) => {
      const u = await admin.req("POST", "/api/users", { username, password: PASSWORD, role });
      expect(u.status, JSON.stringify(u.json)).toBe(201);
      const c = new Client(srv.url);
      expect((await c.req("POST", "/api/auth/login", { username, password: PASSWORD })).status).toBe(200);
      return { c, id: u.json.user.id as string };
    };
    const viewer = await signedIn("hx-migrate-viewer", "viewer");
    const v = await viewer.c.req("POST", `/api/machines/${hostA}/${uuid}/migrate`, { targetHostId: hostB });
    expect(v.status).toBe(403);
    const op = await signedIn("hx-migrate-op", "none");
    const grant = (hostId: string) =>
      admin.req("POST", "/api/assignments", { subject: { type: "user", id: op.id }, role: "operator", scope: { type: "host", id: hostId } });
    expect((await grant(hostA)).status).toBe(201);
    const r = await op.c.req("POST", `/api/machines/${hostA}/${uuid}/migrate`, { targetHostId: hostB });
    expect(r.status, JSON.stringify(r.json)).toBe(403);
    expect(r.json.error.fields.targetHostId).toMatch(/you lack vm.migrate on host hx-migrate-b/);
    expect(stateOn(URI_A)).toBe("running");
    // Operator on both hosts: the move goes through (as this account, transient on B).
    expect((await grant(hostB)).status).toBe(201);
    const moved = await op.c.req("POST", `/api/machines/${hostA}/${uuid}/migrate`, { targetHostId: hostB, persist: false });
    expect([200, 202], JSON.stringify(moved.json)).toContain(moved.status);
    const t = await finalTask(admin, moved.json.task.id, { recorder: ev, timeoutMs: 120_000 });
    expect(t, t.error ?? "").toMatchObject({ status: "succeeded", user: "hx-migrate-op" });
    expect(virshOn(URI_B, "dominfo", VM)).toMatch(/Persistent:\s+no/);
    await until("on host B", async () => (await machineOn(hostB))?.state === "running");
    await until("gone from host A", async () => !(await machineOn(hostA)));
  }, 180_000);
});
