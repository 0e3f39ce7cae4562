// A server that dies (issue 15 point 1, decision 0005 "Server death"): three real servers
// on one PostgreSQL, real agent processes (the built agent, on libvirt's test driver), each
// given every address starting with its home server, a browser-like event client on B.
// A is killed with SIGKILL while a task it started waits for its agent: the agent says
// hello to B within seconds, B publishes the host and shows it online, its presence row
// moves to B, the task A was running ends unknown (B and C both settle it) and is judged
// from the agent's inventory, and a new power action through B works. Then C dies while
// its agent is frozen past the death detection: B shows that host offline, then online
// once the agent is back and has walked its list (C, A dead) to B.
import { afterAll, beforeAll, expect, it } from "vitest";
import { labSuite, until } from "../helpers/lab";
import { startCluster, type Cluster } from "../helpers/cluster";
import { EventRecorder } from "../helpers/events";
import { finalTask } from "../helpers/tasks";
import { createDb, type Db } from "@/server/web/db/client";
import { Fleet, fleetUuid, signedIn } from "../../bench/fleet/fleet";
import type { Client } from "../helpers/server";

const PREFIX = "hx-fleet-failover-";

labSuite(["postgres", "libvirt"], "agent failover when its server dies", () => {
  let cluster: Cluster;
  let fleet: Fleet;
  let db: Db;
  let onB: Client;
  let evB: EventRecorder;

  beforeAll(async () => {
    cluster = await startCluster(3);
    db = createDb(cluster.db.url);
    onB = signedIn(cluster.admin, cluster.servers[1]!.url);
    evB = await EventRecorder.open(onB.base, onB.cookie);
    // Agent i enrolls on and connects first to server i: lists "A,B,C", "B,C,A", "C,A,B".
    fleet = await Fleet.start({ servers: cluster.servers.map((s) => s.url), admin: cluster.admin, agents: 3, vmsPerAgent: 3, prefix: PREFIX });
    await fleet.online(60_000);
  }, 120_000);
  afterAll(async () => {
    evB?.close();
    await fleet?.stop();
    await db?.$disconnect();
    await cluster?.stop();
  });

  const hostOn = async (c: Client, hostId: string) =>
    ((await c.req("GET", "/api/hosts")).json.hosts as { id: string; status: string }[]).find((h) => h.id === hostId)?.status;
  const rowOn = async (c: Client, hostId: string, uuid: string) =>
    ((await c.req("GET", "/api/machines?view=table")).json.rows as { hostId: string; uuid: string; state: string }[]).find(
      (r) => r.hostId === hostId && r.uuid === uuid,
    );

  it("kill -9 A: the agent is back on B within seconds, A's task ends unknown and is reconciled, and B runs the next action", async () => {
    const agent = fleet.agents[0]!;
    const a = cluster.servers[0]!;
    const uuid = fleetUuid(0, 1);
    expect(agent.home).toBe(a.url);
    expect(await hostOn(cluster.admin, agent.hostId)).toBe("online");
    const onA = await db.agentPresence.findUniqueOrThrow({ where: { hostId: agent.hostId } });

    // The suspend reaches the frozen agent and is never answered: A answers 202 and holds
    // the task as running when it dies.
    process.kill(agent.proc.pid!, "SIGSTOP");
    let resumed = false;
    try {
      const r = await cluster.admin.req("POST", `/api/machines/${agent.hostId}/${uuid}/actions`, { action: "suspend" });
      expect(r.status, JSON.stringify(r.json)).toBe(202);
      const taskId = r.json.task.id as string;
      expect((await db.task.findUniqueOrThrow({ where: { id: taskId } })).serverId).toBe(onA.serverId);

      const m = evB.mark;
      await a.stop("SIGKILL");
      const killedAt = Date.now();
      process.kill(agent.proc.pid!, "SIGCONT");
      resumed = true;

      // Online on B: B publishes host.changed once the agent said hello there, and lists it online.
      const changed = await evB.waitFor("host.changed on B", (e) => e.type === "host.changed" && e.hostId === agent.hostId, m, 15_000);
      await until("host online on B", async () => (await hostOn(onB, agent.hostId)) === "online", 15_000, 50);
      const onlineMs = Date.now() - killedAt;
      const presence = await db.agentPresence.findUniqueOrThrow({ where: { hostId: agent.hostId } });
      expect(presence.serverId).not.toBe(onA.serverId);
      expect((await db.server.findUniqueOrThrow({ where: { id: presence.serverId } })).url).not.toBe(
        (await db.server.findUniqueOrThrow({ where: { id: onA.serverId } })).url,
      );
      // Its domains are listed on B again, from the agent's inventory after its hello.
      await until("domains listed on B", async () => !!(await rowOn(onB, agent.hostId, uuid)), 15_000, 50);

      // A's running task: unknown once B finds A dead (~10 s of silence), then judged from
      // what the agent reports (the frozen agent read the suspend after SIGCONT, or never did).
      const unknown = await evB.waitFor(
        "task unknown on B",
        (e) => e.type === "task.upsert" && e.task.id === taskId && e.task.status === "unknown",
        m,
        30_000,
      );
      const unknownMs = unknown.receivedAt - killedAt;
      const settled = await finalTask(onB, taskId, { recorder: evB, from: m, timeoutMs: 30_000 });
      const row = await until("row on B", () => rowOn(onB, agent.hostId, uuid));
      if (row.state === "paused") expect(settled).toMatchObject({ status: "succeeded" });
      else expect(settled).toMatchObject({ status: "failed", error: expect.stringMatching(/unconfirmed.*running/) });
      // Finding A dead did not take the host offline again: its row already names B.
      expect(await hostOn(onB, agent.hostId)).toBe("online");

      // The next action goes through B to the agent now on B.
      const next = row.state === "paused" ? "resume" : "suspend";
      const r2 = await onB.req("POST", `/api/machines/${agent.hostId}/${uuid}/actions`, { action: next });
      expect([200, 202], JSON.stringify(r2.json)).toContain(r2.status);
      expect((await finalTask(onB, r2.json.task.id, { recorder: evB, from: m })).status).toBe("succeeded");
      const want = next === "resume" ? "running" : "paused";
      await until(`${want} on B`, async () => (await rowOn(onB, agent.hostId, uuid))?.state === want, 15_000, 50);
      console.log(
        `replicas-failover: kill -9 A → host.changed on B ${changed.receivedAt - killedAt} ms, online on B ${onlineMs} ms; ` +
          `task unknown ${unknownMs} ms, settled ${settled.status}`,
      );
      expect(onlineMs).toBeLessThan(5_000);
    } finally {
      if (!resumed) process.kill(agent.proc.pid!, "SIGCONT");
    }
  }, 120_000);

  it("an agent frozen past the death detection: B shows its host offline when it finds C dead, online once the agent is back", async () => {
    const agent = fleet.agents[2]!;
    const c = cluster.servers[2]!;
    expect(agent.home).toBe(c.url);
    expect(await hostOn(signedIn(cluster.admin, c.url), agent.hostId)).toBe("online");
    process.kill(agent.proc.pid!, "SIGSTOP");
    try {
      const m = evB.mark;
      await c.stop("SIGKILL");
      const killedAt = Date.now();
      // The survivors find C dead after ~10 s of silence and publish its agents' hosts.
      const gone = await evB.waitFor("host.changed on B (C dead)", (e) => e.type === "host.changed" && e.hostId === agent.hostId, m, 30_000);
      expect(await hostOn(onB, agent.hostId)).toBe("offline");
      expect(await db.agentPresence.findUnique({ where: { hostId: agent.hostId } })).toBeNull();
      const m2 = evB.mark;
      process.kill(agent.proc.pid!, "SIGCONT");
      const resumedAt = Date.now();
      await evB.waitFor("host.changed on B (agent back)", (e) => e.type === "host.changed" && e.hostId === agent.hostId, m2, 15_000);
      await until("host online on B", async () => (await hostOn(onB, agent.hostId)) === "online", 15_000, 50);
      console.log(
        `replicas-failover: kill -9 C, frozen agent → host.changed (offline) on B ${gone.receivedAt - killedAt} ms; ` +
          `SIGCONT → online on B ${Date.now() - resumedAt} ms (list C, A both dead, then B)`,
      );
    } finally {
      process.kill(agent.proc.pid!, "SIGCONT");
    }
  }, 90_000);
});
