// Several real server processes on one real PostgreSQL database (issue 15 point 1,
// docs/decisions/0005-replicas.md): what one server decides, the others respect.
import { afterAll, beforeAll, expect, it } from "vitest";
import { labSuite, until, virsh } from "../helpers/lab";
import { startCluster, type Cluster } from "../helpers/cluster";
import { ADMIN, Client } from "../helpers/server";
import { EventRecorder } from "../helpers/events";
import { defineScratch, undefineScratch } from "../helpers/scratch-domains";
import { machineAction } from "../helpers/tasks";
import type { MachineRow } from "../../server/protocol";

const PREFIX = "hx-replicas-ev-";

labSuite("postgres", "two servers on one PostgreSQL", () => {
  let cluster: Cluster;
  let a: string;
  let b: string;
  beforeAll(async () => {
    cluster = await startCluster(2);
    [a, b] = cluster.servers.map((s) => s.url) as [string, string];
  });
  afterAll(() => cluster?.stop());

  it("20 wrong passwords spread across two servers are throttled as one", async () => {
    const onA = new Client(a);
    const onB = new Client(b);
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) {
      const c = i % 2 ? onB : onA;
      statuses.push((await c.req("POST", "/api/auth/login", { username: "admin", password: `wrong-password-${i}` })).status);
    }
    // As on one server: 5 failures per account, then 429 wherever the next try lands.
    expect(statuses).toEqual([...Array<number>(5).fill(401), ...Array<number>(15).fill(429)]);
    for (const c of [onA, onB]) {
      const r = await c.req("POST", "/api/auth/login", ADMIN);
      expect(r.status).toBe(429);
      expect(Number(r.headers.get("retry-after"))).toBeGreaterThan(0);
    }
    // The address limit (4 × 5 = 20) is counted across servers too: 15 more failures on
    // other names, alternating, reach it, and the next try from this address is refused.
    const more: number[] = [];
    for (let i = 0; i < 16; i++) {
      const c = i % 2 ? onB : onA;
      more.push((await c.req("POST", "/api/auth/login", { username: `nobody-${i}`, password: "whatever-long-pw" })).status);
    }
    expect(more).toEqual([...Array<number>(15).fill(401), 429]);
  });
});

labSuite(["postgres", "libvirt"], "events across two servers on one PostgreSQL (real libvirt)", () => {
  let cluster: Cluster;
  let onB: Client;
  beforeAll(async () => {
    undefineScratch(PREFIX);
    // The lab's agent runs beside server A only; the browser below is on server B.
    cluster = await startCluster(2, {}, (i): Record<string, string> => (i === 0 ? { HANGAR_LOCAL_AGENT: "1" } : {}));
    onB = Object.assign(new Client(cluster.servers[1]!.url), { cookie: cluster.admin.cookie }); // sessions are in the database
    await until("inventory on A", async () => (await cluster.admin.req("GET", "/api/machines")).json.rows.length > 0, 60_000);
  }, 120_000);
  afterAll(async () => {
    await cluster?.stop();
    undefineScratch(PREFIX);
  });

  it("a browser on B sees A's machine.upsert after a virsh change, and the task events of an action run through A", async () => {
    const recorder = await EventRecorder.open(onB.base, onB.cookie);
    const name = `${PREFIX}1`;
    const t0 = Date.now();
    defineScratch(name);
    const added = await recorder.waitFor("upsert on B", recorder.machineState(name, "shutoff"), 0, 20_000);
    console.log(`[replicas] virsh define → machine.upsert on B: ${added.receivedAt - t0} ms`);
    if (added.type !== "machine.upsert") throw new Error("unreachable");
    const m: MachineRow = added.machine;

    const from = recorder.mark;
    const { task } = await machineAction(cluster.admin, m.hostId, m.uuid, "start", {}, { recorder });
    expect(task.status).toBe("succeeded");
    // B's browser followed the task from queued/running to its end, and saw the guest run.
    const seen = recorder.events.slice(from).flatMap((e) => (e.type === "task.upsert" && e.task.id === task.id ? [e.task.status] : []));
    expect(seen.at(-1)).toBe("succeeded");
    await recorder.waitFor("running on B", recorder.machineState(name, "running"), from, 20_000);
    expect(virsh("domstate", name).split("\n")[0]).toBe("running");
    recorder.close();
  });
});
