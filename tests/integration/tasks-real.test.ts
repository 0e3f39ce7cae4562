// The task promises against the real thing (server + its local agent + libvirtd + a QEMU
// guest), not a stand-in agent: a retried POST with the same Idempotency-Key is the same
// task; two sessions asking for the same action at once get one task; an agent SIGKILLed
// in the middle of a start leaves no task stuck and is settled from the guest's real
// state. "Started once" is asserted from libvirt's own record: it writes one "starting
// up" line to the guest's QEMU log per start, and a guest's domain id changes per start.
import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import type { TaskRow } from "../../server/protocol";
import { ADMIN, Client, startWithAdmin, type TestServer } from "../helpers/server";
import { EventRecorder } from "../helpers/events";
import { finalTask } from "../helpers/tasks";
import { domState, ensureOff, guestTo, labSuite, startCount, until, virsh } from "../helpers/lab";

const VM = "hangar-test-1";

labSuite("libvirt", "tasks against the real agent and guest", () => {
  let srv: TestServer;
  let admin: Client;
  let ev: EventRecorder;
  let hostId = "";
  let uuid = "";
  let keySeq = 0;
  const path = () => `/api/machines/${hostId}/${uuid}/actions`;
  const newKey = () => ({ "Idempotency-Key": `tasks-real-${process.pid}-${++keySeq}` });
  /** The server's local agent process, or 0 while the supervisor has none running. */
  const agentPid = () => {
    try {
      return Number(
        execFileSync("pgrep", ["-P", String(srv.proc.pid), "-f", "agent.mjs"], { encoding: "utf8" })
          .trim()
          .split("\n")[0],
      );
    } catch {
      return 0;
    }
  };
  /** The vm.start tasks Hangar holds for the guest. */
  const startTasks = async (): Promise<TaskRow[]> =>
    ((await admin.req("GET", "/api/tasks?limit=1000")).json.tasks as TaskRow[]).filter((t) => t.targetId === uuid && t.kind === "vm.start");
  const taskEvents = (id: string, from = 0) => ev.events.slice(from).flatMap((e) => (e.type === "task.upsert" && e.task.id === id ? [e.task] : []));

  beforeAll(async () => {
    ensureOff(VM);
    ({ srv, admin } = await startWithAdmin({ HANGAR_LOCAL_AGENT: "1" }));
    ev = await EventRecorder.open(srv.url, admin.cookie);
    hostId = (
      await until("local host online", async () =>
        (await admin.req("GET", "/api/hosts")).json.hosts.find((h: { status: string }) => h.status === "online"),
      )
    ).id;
    uuid = (
      await until("test guest listed", async () => (await admin.req("GET", "/api/machines")).json.rows.find((r: { name: string }) => r.name === VM))
    ).uuid;
  }, 120_000);

  // Every test starts a guest that is off, with no task of Hangar's still holding it.
  beforeEach(() => guestTo(VM, "shutoff", admin), 180_000);

  afterAll(async () => {
    ev?.close();
    await srv?.stop();
    ensureOff(VM);
  });

  it("a retried POST with the same Idempotency-Key returns the same task; libvirt started the guest once", async () => {
    const starts0 = startCount(VM);
    const tasks0 = (await startTasks()).length;
    const key = newKey();
    const m = ev.mark;
    const first = admin.req("POST", path(), { action: "start" }, key);
    // The retry a client sends when the first answer is slow: while the task runs (or just after).
    await ev.waitFor("start task created", (e) => e.type === "task.upsert" && e.task.targetId === uuid && e.task.kind === "vm.start", m);
    const whileRunning = await admin.req("POST", path(), { action: "start" }, key);
    const answer = await first;
    expect([200, 202]).toContain(answer.status);
    expect(whileRunning.status, JSON.stringify(whileRunning.json)).toBeLessThan(300);
    expect(whileRunning.json).toMatchObject({ replay: true, task: { id: answer.json.task.id } });
    const done = await finalTask(admin, answer.json.task.id, { recorder: ev, from: m });
    expect(done.status, done.error ?? "").toBe("succeeded");
    expect(domState(VM)).toBe("running");
    const domId = virsh("domid", VM);

    // A retry after the end: the same finished task, nothing run again.
    const after = await admin.req("POST", path(), { action: "start" }, key);
    expect(after.status).toBe(200);
    expect(after.json).toMatchObject({ replay: true, task: { id: done.id, status: "succeeded" } });
    expect(startCount(VM) - starts0, "starts in libvirt's log").toBe(1);
    expect(virsh("domid", VM)).toBe(domId);
    expect((await startTasks()).length - tasks0, "vm.start tasks").toBe(1);
  });

  it("the same action from two sessions at the same moment: one task runs, the other is refused as busy or joins it; libvirt started the guest once", async () => {
    const other = new Client(srv.url);
    expect((await other.req("POST", "/api/auth/login", ADMIN)).status).toBe(200);
    expect(other.cookie).not.toBe(admin.cookie);
    // Several rounds: "at the same moment" is a race, and one round may not reach the window.
    for (let round = 0; round < 5; round++) {
      await guestTo(VM, "shutoff", admin);
      const starts0 = startCount(VM);
      const before = new Set((await startTasks()).map((t) => t.id));
      const m = ev.mark;
      const answers = await Promise.all([admin, other].map((c) => c.req("POST", path(), { action: "start" })));
      const accepted = answers.filter((r) => r.status === 200 || r.status === 202);
      const refused = answers.filter((r) => r.status === 409);
      const summary = `round ${round}: ${answers.map((r) => `${r.status} ${JSON.stringify(r.json)}`).join(" | ")}`;
      expect(accepted.length + refused.length, summary).toBe(2);
      expect(accepted.length, summary).toBeGreaterThanOrEqual(1);
      const ids = new Set(accepted.map((r) => r.json.task.id as string));
      expect(ids.size, `one task, joined or refused: ${summary}`).toBe(1);
      const [id] = [...ids] as [string];
      // A refusal names the task that holds the machine, not libvirt's "already running"
      // (which would mean a second start reached libvirt).
      for (const r of refused) expect(r.json.error.message, summary).toContain(`busy with task ${id}`);
      const done = await finalTask(admin, id, { recorder: ev, from: m });
      expect(done.status, done.error ?? "").toBe("succeeded");
      const created = (await startTasks()).filter((t) => !before.has(t.id));
      expect(
        created.map((t) => t.id),
        summary,
      ).toEqual([id]);
      expect(startCount(VM) - starts0, `starts in libvirt's log, ${summary}`).toBe(1);
    }
  }, 300_000);

  it("the agent SIGKILLed in the middle of a start and restarted: the task settles by the guest's real state, never stuck; a retry with its key starts nothing", async () => {
    // libvirtd writes "starting up" to the guest's QEMU log when it launches QEMU, inside
    // the start call: killing the agent as that line appears kills it mid-start. If the
    // agent still answered first (the task never went "unknown"), the round is repeated.
    let attempt = 0;
    let task: TaskRow | null = null;
    let key: Record<string, string> = {};
    let starts0 = 0;
    for (; attempt < 3 && !task; attempt++) {
      await guestTo(VM, "shutoff", admin);
      await until("agent connected", async () => (await admin.req("GET", `/api/hosts/${hostId}`)).json.host.status === "online", 60_000, 200);
      key = newKey();
      starts0 = startCount(VM);
      const pid = agentPid();
      expect(pid).toBeGreaterThan(0);
      const m = ev.mark;
      const posted = admin.req("POST", path(), { action: "start" }, key);
      await until("libvirt starting the guest", () => startCount(VM) > starts0, 30_000, 1);
      process.kill(pid, "SIGKILL");
      const r = await posted;
      expect([200, 202], JSON.stringify(r.json)).toContain(r.status);
      const id = r.json.task.id as string;
      // Never stuck: the task reaches succeeded or failed once the supervisor's new agent reports.
      const settled = await finalTask(admin, id, { recorder: ev, from: m, timeoutMs: 90_000 });
      await until("agent restarted by the server", () => ![0, pid].includes(agentPid()), 60_000, 200);
      if (taskEvents(id, m).some((t) => t.status === "unknown")) task = settled;
    }
    expect(task, "the agent answered before every kill: never killed mid-start").not.toBeNull();
    // Settled by what libvirt really did with the start the dead agent asked for.
    const real = domState(VM);
    console.log(`[tasks-real] agent killed mid-start on attempt ${attempt}: task ${task!.status}, libvirt says ${real}`);
    expect(["running", "shut off"]).toContain(real);
    expect(task!.status, `${task!.error}; libvirt says ${real}`).toBe(real === "running" ? "succeeded" : "failed");
    const tasks = (await admin.req("GET", "/api/tasks?limit=1000")).json.tasks as TaskRow[];
    expect(tasks.filter((t) => t.targetId === uuid && ["queued", "running", "unknown"].includes(t.status))).toEqual([]);
    const row = (await admin.req("GET", "/api/machines")).json.rows.find((r: { uuid: string }) => r.uuid === uuid);
    expect(row.state).toBe(real === "running" ? "running" : "shutoff");

    // The client retries with the same key (it never saw an answer it trusted): same task, no start.
    const startsAfterKill = startCount(VM);
    expect(startsAfterKill - starts0, "starts in libvirt's log for the killed request").toBe(1);
    const domId = real === "running" ? virsh("domid", VM) : "-";
    const retry = await admin.req("POST", path(), { action: "start" }, key);
    expect(retry.status, JSON.stringify(retry.json)).toBe(200);
    expect(retry.json).toMatchObject({ replay: true, task: { id: task!.id, status: task!.status } });
    expect(startCount(VM), "starts in libvirt's log after the retry").toBe(startsAfterKill);
    expect(domState(VM)).toBe(real);
    if (real === "running") expect(virsh("domid", VM)).toBe(domId);
  }, 400_000);
});
