// Several real server processes on one real PostgreSQL database (issue 15 point 1,
// docs/decisions/0005-replicas.md): what one server decides, the others respect.
import { afterAll, beforeAll, expect, it } from "vitest";
import { labSuite, until, virsh } from "../helpers/lab";
import { startCluster, type Cluster } from "../helpers/cluster";
import { ADMIN, Client, startServer, type TestServer } from "../helpers/server";
import { createDb, type Db } from "@/server/web/db/client";
import { DEAD_AFTER_MS, HEARTBEAT_MS } from "@/server/web/cluster/server-registry";
import { freshCode } from "../helpers/totp";
import { EventRecorder } from "../helpers/events";
import { defineScratch, undefineScratch } from "../helpers/scratch-domains";
import { machineAction } from "../helpers/tasks";
import { openConsole, ticket } from "../helpers/console";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
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

  it("answers /healthz and /readyz on each server: database, migrations, console relay and event listener ready", async () => {
    for (const url of [a, b]) {
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      const r = await fetch(`${url}/readyz`);
      expect(r.status).toBe(200);
      expect(await r.json()).toEqual({ ready: true, checks: { database: true, migrations: true, consoleRelay: true, events: true } });
    }
  });

  // First: the throttle test below blocks sign-ins from this address for the rest of the file.
  it("a two-step sign-in whose password went to A finishes with the code on B, and the challenge is then spent", async () => {
    const password = "tess correct horse battery";
    expect((await cluster.admin.req("POST", "/api/users", { username: "tess", password, role: "viewer" })).status).toBe(201);
    const first = new Client(a);
    expect((await first.req("POST", "/api/auth/login", { username: "tess", password })).status).toBe(200);
    const secret = (await first.req("POST", "/api/auth/totp")).json.secret as string;
    const last = { step: null as number | null };
    expect((await first.req("POST", "/api/auth/totp/confirm", { code: await freshCode(secret, last) })).status).toBe(200);

    const step1 = await new Client(a).req("POST", "/api/auth/login", { username: "tess", password });
    expect(step1.json).toEqual({ totpRequired: true, challenge: expect.any(String) });
    const onB = new Client(b);
    const step2 = await onB.req("POST", "/api/auth/login/totp", { challenge: step1.json.challenge, code: await freshCode(secret, last) });
    expect(step2.status, JSON.stringify(step2.json)).toBe(200);
    expect((await onB.req("GET", "/api/auth/me")).json.user.username).toBe("tess");
    // Refused for the challenge itself, before any code is looked at.
    const again = await new Client(a).req("POST", "/api/auth/login/totp", { challenge: step1.json.challenge, code: "000000" });
    expect(again.status).toBe(401);
    expect(again.json.error.fields).toEqual({ challenge: "expired or unknown" });
  });

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
    // The lab agent said hello to A: its presence row names A's live server.
    const db = createDb(cluster.db.url);
    const [rowA] = await db.server.findMany({ orderBy: { startedAt: "asc" }, take: 1 });
    const presence = await db.agentPresence.findMany();
    await db.$disconnect();
    expect(presence.map((p) => p.serverId)).toEqual([rowA!.id]);

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
    // B's browser follows the task to its end (an answer of 200 may beat the relayed event).
    await recorder.waitFor("task end on B", (e) => e.type === "task.upsert" && e.task.id === task.id && e.task.status === "succeeded", from, 10_000);
    await recorder.waitFor("running on B", recorder.machineState(name, "running"), from, 20_000);
    expect(virsh("domstate", name).split("\n")[0]).toBe("running");
    recorder.close();
  });

  it("a console ticket issued on A passes on B once (B then answers that it does not hold the host), and is used up on A and B", async () => {
    // A diskless guest with VNC: SeaBIOS on screen within a second, the cheapest real console.
    const name = `${PREFIX}vnc`;
    const xml = path.join(os.tmpdir(), `${name}.xml`);
    fs.writeFileSync(
      xml,
      `<domain type='qemu'><name>${name}</name><memory unit='MiB'>32</memory><vcpu>1</vcpu><os><type arch='x86_64'>hvm</type></os><devices><graphics type='vnc' autoport='yes' listen='127.0.0.1'/></devices></domain>`,
    );
    virsh("define", xml);
    fs.rmSync(xml, { force: true });
    virsh("start", name);
    const m = await until("vnc guest running on A", async () =>
      ((await cluster.admin.req("GET", "/api/machines")).json.rows as MachineRow[]).find((r) => r.name === name && r.state === "running"),
    );
    const t = await ticket(cluster.admin, m.hostId, m.uuid);
    expect(t.status, JSON.stringify(t.json)).toBe(200);
    // The ticket is accepted on B: the refusal that follows is B's "host offline" (503:
    // the agent is on A, and without HANGAR_CLUSTER_SECRET B cannot relay through A;
    // replicas-consoles.test.ts has the hop), not 401.
    expect((await openConsole(onB.base, onB.cookie, t.json.protocols)).status).toBe(503);
    expect((await openConsole(cluster.servers[0]!.url, cluster.admin.cookie, t.json.protocols)).status).toBe(401);
    expect((await openConsole(onB.base, onB.cookie, t.json.protocols)).status).toBe(401);
    // A fresh ticket on A itself opens the console: the 401s above were the ticket, nothing else.
    const fresh = await ticket(cluster.admin, m.hostId, m.uuid);
    const opened = await openConsole(cluster.servers[0]!.url, cluster.admin.cookie, fresh.json.protocols);
    expect(opened.status).toBe(101);
    opened.ws!.close();
  });
});

labSuite("postgres", "a server that dies among others on one PostgreSQL", () => {
  let cluster: Cluster;
  let db: Db;
  afterAll(async () => {
    await db?.$disconnect();
    await cluster?.stop();
  });

  it("a server starting beside live ones leaves their tasks running; a killed server's tasks end as unknown within seconds", async () => {
    cluster = await startCluster(2);
    db = createDb(cluster.db.url);
    const [a, b] = cluster.servers as [TestServer, TestServer];
    const [rowA] = await db.server.findMany({ orderBy: { startedAt: "asc" }, take: 1 });
    // A task in flight on A (as its claim writes it): no real agent call needed to own one.
    const task = await db.task.create({
      data: {
        kind: "vm.start",
        targetType: "vm",
        targetId: "hx-replicas-ghost",
        status: "running",
        startedAt: new Date(),
        serverId: rowA!.id,
        deadlineAt: new Date(Date.now() + 600_000),
      },
    });
    const host = await db.host.create({ data: { name: "hx-replicas-held" } });
    await db.agentPresence.create({ data: { hostId: host.id, serverId: rowA!.id, connectedAt: new Date() } });
    const c = await startServer({ DATABASE_URL: cluster.db.url });
    cluster.servers.push(c);
    expect((await db.task.findUniqueOrThrow({ where: { id: task.id } })).status).toBe("running");

    const recorder = await EventRecorder.open(b.url, cluster.admin.cookie);
    const killedAt = Date.now();
    await a.stop("SIGKILL");
    const e = await recorder.waitFor(
      "unknown on B",
      (x) => x.type === "task.upsert" && x.task.id === task.id && x.task.status === "unknown",
      0,
      30_000,
    );
    console.log(`[replicas] SIGKILL → task unknown on B: ${e.receivedAt - killedAt} ms`);
    expect(e.receivedAt - killedAt).toBeLessThan(DEAD_AFTER_MS + 2 * HEARTBEAT_MS + 2_000);
    expect((await db.task.findUniqueOrThrow({ where: { id: task.id } })).error).toBe("The server running it stopped answering");
    // The agent A held is no longer said to be there; B's browser is told to refetch the host.
    expect(await db.agentPresence.count()).toBe(0);
    await recorder.waitFor("host.changed on B", (x) => x.type === "host.changed" && x.hostId === host.id, 0, 5_000);
    recorder.close();
  });
});
