// Tasks keep their promises through faults, against the real lab: a server killed while a
// task runs settles it at the next start and judges it from the agent's report; a container
// task whose agent dies is reconciled from the container inventory; a task whose call
// never returns stops blocking its target at its deadline. Nothing is left "running".
import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, expect, it } from "vitest";
import { Client, startWithAdmin, type TestServer } from "../helpers/server";
import { EventRecorder } from "../helpers/events";
import { finalTask } from "../helpers/tasks";
import { domState, ensureOff, labSuite, until } from "../helpers/lab";
import type { TaskRow } from "../../server/protocol/browser-events";

const VM = "hangar-test-2";
const SOCKET = process.env.HANGAR_PODMAN_SOCKET ?? "";
const IMAGE = "localhost/hangar-busybox:latest";
const CT = "hangar-dur-ct";
const podman = (...a: string[]) => execFileSync("podman", a, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
const removeCt = () => {
  try {
    podman("rm", "-f", "-t", "0", CT);
  } catch {
    /* not there */
  }
};
const FINAL = ["succeeded", "failed"];

labSuite(["libvirt", "podman"], "task durability through faults (real libvirt and Podman)", () => {
  let srv: TestServer;
  let admin: Client;
  let hostId = "";
  let uuid = "";
  let ctId = "";

  const agentPid = () =>
    Number(
      execFileSync("pgrep", ["-f", `agent.mjs --server http://127.0.0.1:${srv.port}`], { encoding: "utf8" })
        .trim()
        .split("\n")[0],
    );
  const task = async (id: string): Promise<TaskRow | undefined> =>
    (await admin.req("GET", "/api/tasks")).json.tasks.find((t: TaskRow) => t.id === id);
  const online = () =>
    until(
      "host online",
      async () =>
        (await admin.req("GET", "/api/hosts")).json.hosts.find((h: { status: string; engine: unknown }) => h.status === "online" && h.engine),
      30_000,
    );
  /** Follows a task to its end, whether the action answered 200 or 202. */
  const follow = async (r: { status: number; json: { task: TaskRow } }) => {
    expect([200, 202]).toContain(r.status);
    return finalTask(admin, r.json.task.id, { timeoutMs: 60_000 });
  };
  const vmAct = (action: string) => admin.req("POST", `/api/machines/${hostId}/${uuid}/actions`, { action });
  const ctAct = (action: string) => admin.req("POST", `/api/containers/${hostId}/${ctId}/actions`, { action });
  const ctState = () => podman("inspect", "--format", "{{.State.Status}}", CT);

  beforeAll(async () => {
    ensureOff(VM);
    removeCt();
    ctId = podman("create", "--name", CT, IMAGE, "sh", "-c", "trap 'exit 0' TERM; while :; do sleep 1; done");
    // A short action timeout makes the deadline observable in a test.
    ({ srv, admin } = await startWithAdmin({ HANGAR_LOCAL_AGENT: "1", HANGAR_CONTAINER_SOCKET: SOCKET, HANGAR_ACTION_TIMEOUT_SECONDS: "5" }));
    hostId = (await online()).id;
    uuid = (
      await until("test guest listed", async () =>
        (await admin.req("GET", "/api/machines")).json.rows.find((r: { name: string; state: string }) => r.name === VM && r.state === "shutoff"),
      )
    ).uuid;
    await until("container listed", async () => (await admin.req("GET", "/api/containers")).json.rows.find((r: { id: string }) => r.id === ctId));
  }, 120_000);

  afterAll(async () => {
    if (process.env.HANGAR_TEST_LOGS) console.log(srv?.logs());
    try {
      process.kill(agentPid(), "SIGCONT");
    } catch {
      /* no agent */
    }
    await srv?.stop();
    ensureOff(VM);
    removeCt();
  });

  /** Kills the server (and its frozen agent) with SIGKILL and starts it on the same database. */
  const crashAndRestart = async (agent: number) => {
    await srv.stop("SIGKILL", true);
    process.kill(agent, "SIGKILL");
    srv = await srv.restart();
    const again = new Client(srv.url);
    again.cookie = admin.cookie; // sessions live in the database: the browser stays signed in
    admin = again;
    await online();
  };

  it("server killed while a machine start runs: unknown at the next start, then judged from libvirt; the VM is free", async () => {
    const agent = agentPid();
    process.kill(agent, "SIGSTOP"); // the start is sent and never answered
    const r = await vmAct("start");
    expect(r.status).toBe(202);
    const id = r.json.task.id;
    await crashAndRestart(agent);
    expect(srv.logs()).toMatch(/1 task\(s\) left running by the last run are unknown/);
    expect((await task(id))?.status).not.toBe("running"); // settled before the server listened
    const settled = await finalTask(admin, id, { timeoutMs: 30_000 });
    // The frozen agent never started it, and libvirt says so.
    expect(settled).toMatchObject({ status: "failed", error: expect.stringMatching(/unconfirmed.*shutoff/) });
    expect(domState(VM)).toBe("shut off");
    const next = await follow(await vmAct("start"));
    expect(next.status).toBe("succeeded");
    expect(domState(VM)).toBe("running");
    expect((await follow(await vmAct("destroy"))).status).toBe("succeeded");
  });

  it("agent killed while a container starts: unknown, then reconciled from the container inventory", async () => {
    const rec = await EventRecorder.open(srv.url, admin.cookie);
    try {
      const agent = agentPid();
      process.kill(agent, "SIGSTOP");
      const m = rec.mark;
      const r = await ctAct("start");
      expect(r.status).toBe(202);
      process.kill(agent, "SIGKILL");
      const id = r.json.task.id;
      await rec.waitFor("task unknown", (e) => e.type === "task.upsert" && e.task.id === id && e.task.status === "unknown", m, 15_000);
      const done = await rec.waitFor(
        "task reconciled",
        (e) => e.type === "task.upsert" && e.task.id === id && FINAL.includes(e.task.status),
        m,
        45_000,
      );
      expect(done.type === "task.upsert" && done.task).toMatchObject({ status: "failed", error: expect.stringMatching(/unconfirmed.*created/) });
      expect(ctState()).toBe("created");
    } finally {
      rec.close();
    }
    await online();
    expect((await follow(await ctAct("start"))).status).toBe("succeeded");
    expect(ctState()).toBe("running");
  });

  it("server killed while a container stops: settled at restart from the container inventory", async () => {
    const agent = agentPid();
    process.kill(agent, "SIGSTOP");
    const r = await ctAct("stop");
    expect(r.status).toBe(202);
    await crashAndRestart(agent);
    const t = await finalTask(admin, r.json.task.id, { timeoutMs: 30_000 });
    // The stop never reached the engine: the container still runs, and the task says so.
    expect(t).toMatchObject({ status: "failed", error: expect.stringMatching(/unconfirmed.*running/) });
    expect(ctState()).toBe("running");
    expect((await follow(await ctAct("stop"))).status).toBe("succeeded");
    expect(ctState()).toBe("exited");
  });

  it("a call that never returns stops blocking its machine at its deadline", async () => {
    const agent = agentPid();
    process.kill(agent, "SIGSTOP");
    const r = await vmAct("start");
    expect(r.status).toBe(202);
    // Blocked while the task is within its time…
    expect((await vmAct("start")).status).toBe(409);
    // …then its 5 s timeout passes: unknown, judged at once from what the hub knows.
    const t = await until(
      "task past its timeout",
      async () => {
        const x = await task(r.json.task.id);
        return x && x.status !== "running" ? x : null;
      },
      20_000,
      200,
    );
    expect(["unknown", "failed"]).toContain(t.status);
    // Not 409 any more: the target is free. (The frozen agent is cut by the hub's heartbeat
    // within seconds, so the new task may also end at once as unknown, or the host be offline.)
    const again = await vmAct("start");
    expect(again.status, JSON.stringify(again.json)).not.toBe(409);
    expect([200, 202, 503]).toContain(again.status);
    process.kill(agent, "SIGKILL"); // neither start ever runs
    if (again.status !== 503) {
      await finalTask(admin, again.json.task.id, { timeoutMs: 45_000 });
    }
    await online();
    expect(domState(VM)).toBe("shut off");
    expect((await follow(await vmAct("start"))).status).toBe("succeeded");
    expect(domState(VM)).toBe("running");
    expect((await follow(await vmAct("destroy"))).status).toBe("succeeded");
  });
});
