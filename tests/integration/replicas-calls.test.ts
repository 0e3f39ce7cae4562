// Any server answers for the whole fleet (issue 15 point 1, decision 0005): two real
// servers on one real PostgreSQL, the lab's real agent and libvirtd beside server A only,
// the browser on server B. B lists A's host and machines from its inventory mirror, runs
// tasks whose agent call hops to A, keeps the agent's errors, streams A's metrics, and
// refuses internal routes without the cluster secret.
import { afterAll, beforeAll, expect, it } from "vitest";
import { labSuite, until, virsh } from "../helpers/lab";
import { startCluster, type Cluster } from "../helpers/cluster";
import { Client } from "../helpers/server";
import { EventRecorder } from "../helpers/events";
import { defineScratch, undefineScratch } from "../helpers/scratch-domains";
import { machineAction } from "../helpers/tasks";
import { PeerAgent, peerDomain } from "../helpers/peer-agent";
import { createDb } from "@/server/web/db/client";
import { CLUSTER_HEADER } from "@/server/web/cluster/internal-auth";
import type { HostRow, MachineRow } from "../../server/protocol";
import type { SeriesSample } from "../../server/protocol/metrics";

const PREFIX = "hx-xcall-";
const SECRET = "hx-xcall-cluster-secret-0123456789abcdef";

/** The session cookie of A's admin, valid on B too (sessions are in the database). */
function on(url: string, admin: Client): Client {
  return Object.assign(new Client(url), { cookie: admin.cookie });
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

const labNames = (hostRows: MachineRow[]) => hostRows.map((r) => r.name).sort();
const virshNames = () =>
  virsh("list", "--all", "--name")
    .split("\n")
    .map((s) => s.trim())
    .filter(Boolean)
    .sort();

labSuite(["postgres", "libvirt"], "calls and inventory across two servers (real agent on A)", () => {
  let cluster: Cluster;
  let onA: Client;
  let onB: Client;
  let hostId = "";
  beforeAll(async () => {
    undefineScratch(PREFIX);
    defineScratch(`${PREFIX}power`);
    cluster = await startCluster(2, { HANGAR_CLUSTER_SECRET: SECRET }, (i): Record<string, string> => (i === 0 ? { HANGAR_LOCAL_AGENT: "1" } : {}));
    onA = cluster.admin;
    onB = on(cluster.servers[1]!.url, onA);
    const host = await until(
      "A's host online on A",
      async () => ((await onA.req("GET", "/api/hosts")).json.hosts as HostRow[]).find((h) => h.status === "online"),
      60_000,
    );
    hostId = host.id;
    await until("inventory on A", async () => (await onA.req("GET", "/api/machines")).json.rows.length > 0, 60_000);
  }, 120_000);
  afterAll(async () => {
    await cluster?.stop();
    undefineScratch(PREFIX);
  });

  it("B lists A's host online and its real VMs as A knows them (hosts, machines, search, dashboard)", async () => {
    const hostOnB = await until("host online on B", async () =>
      ((await onB.req("GET", "/api/hosts")).json.hosts as HostRow[]).find((h) => h.id === hostId && h.status === "online"),
    );
    expect(hostOnB.libvirtConnected).toBe(true);
    const rowsA = (await onA.req("GET", "/api/machines")).json.rows as MachineRow[];
    const rowsB = await until("B's rows as A's", async () => {
      const r = (await onB.req("GET", "/api/machines")).json.rows as MachineRow[];
      return r.length === rowsA.length ? r : null;
    });
    // Every domain libvirt has, on both servers, live (not stale), with the same state.
    expect(labNames(rowsB)).toEqual(virshNames());
    expect(rowsB.map((r) => [r.uuid, r.state, r.stale])).toEqual(rowsA.map((r) => [r.uuid, r.state, false]));
    expect(hostOnB.machineCount).toBe(rowsA.length);
    // Search on B finds A's machine and says the host is online.
    const hits = (await onB.req("GET", `/api/search?q=${PREFIX}power`)).json.hits as { title: string }[];
    expect(hits.map((h) => h.title)).toContain(`${PREFIX}power`);
    const hostHits = (await onB.req("GET", `/api/search?q=${encodeURIComponent(hostOnB.name)}`)).json.hits as {
      kind: string;
      state: string | null;
    }[];
    expect(hostHits.some((h) => h.kind === "host" && h.state === "online")).toBe(true);
    // The dashboard's counts on B are A's.
    const [dashA, dashB] = [(await onA.req("GET", "/api/dashboard")).json, (await onB.req("GET", "/api/dashboard")).json];
    expect(dashB.hosts).toEqual(dashA.hosts);
    expect(dashB.machines).toEqual(dashA.machines);
    expect(dashB.hosts.online).toBeGreaterThanOrEqual(1);
  });

  it("a power action asked of B runs as B's task, its agent call hops to A, its end arrives on B's socket, and libvirt shows it", async () => {
    const name = `${PREFIX}power`;
    const m = await until("scratch domain on B", async () =>
      ((await onB.req("GET", "/api/machines")).json.rows as MachineRow[]).find((r) => r.name === name),
    );
    const recorder = await EventRecorder.open(onB.base, onB.cookie);
    const from = recorder.mark;
    const { task } = await machineAction(onB, m.hostId, m.uuid, "start", {}, { recorder });
    expect(task.status).toBe("succeeded");
    await recorder.waitFor("task end on B", (e) => e.type === "task.upsert" && e.task.id === task.id && e.task.status === "succeeded", from, 10_000);
    await recorder.waitFor("running on B", recorder.machineState(name, "running"), from, 20_000);
    expect(virsh("domstate", name).split("\n")[0]).toBe("running");
    // The task row is B's: B wrote it, ran it and holds its lock; only the agent call crossed.
    const db = createDb(cluster.db.url);
    const [, rowB] = await db.server.findMany({ orderBy: { startedAt: "asc" } });
    const row = await db.task.findUniqueOrThrow({ where: { id: task.id } });
    await db.$disconnect();
    expect(row.serverId).toBe(rowB!.id);
    // B's list follows A's agent's event without a refetch on A.
    await until("running in B's list", async () =>
      ((await onB.req("GET", "/api/machines")).json.rows as MachineRow[]).find((r) => r.name === name && r.state === "running"),
    );
    recorder.close();
    virsh("destroy", name);
  });

  it("an agent error from A keeps its status and message on B", async () => {
    for (const path of [`/api/hosts/${hostId}/pools/no-such-pool-hx-xcall/actions`]) {
      const a = await onA.req("POST", path, { action: "start" });
      const b = await onB.req("POST", path, { action: "start" });
      expect(a.status, JSON.stringify(a.json)).toBe(404);
      expect(b.status, JSON.stringify(b.json)).toBe(404);
      expect(b.json.error.message).toBe(a.json.error.message);
    }
    // A stopped scratch domain cannot be shut down: libvirt's refusal, 409 on both.
    const m = ((await onB.req("GET", "/api/machines")).json.rows as MachineRow[]).find((r) => r.name === `${PREFIX}power`)!;
    await until("shut off on B", async () =>
      ((await onB.req("GET", "/api/machines")).json.rows as MachineRow[]).find((r) => r.uuid === m.uuid && r.state === "shutoff"),
    );
    const viaB = await onB.req("POST", `/api/machines/${m.hostId}/${m.uuid}/actions`, { action: "shutdown" });
    const viaA = await onA.req("POST", `/api/machines/${m.hostId}/${m.uuid}/actions`, { action: "shutdown" });
    expect(viaB.status, JSON.stringify(viaB.json)).toBe(viaA.status);
    expect(viaB.json.error?.message).toBe(viaA.json.error?.message);
  });

  it("a browser on B subscribing to A's host metrics gets its samples every second", async () => {
    const rec = await EventRecorder.open(onB.base, onB.cookie);
    const series = `host/${hostId}`;
    const got = () => rec.events.flatMap((e) => (e.type === "metrics" ? (e.samples as SeriesSample[]).filter((s) => s.series === series) : []));
    rec.ws.send(JSON.stringify({ type: "metrics.subscribe", series: [series] }));
    await until("3 samples of A's host on B", () => got().length >= 3, 15_000);
    const s = got();
    expect(s.at(-1)!.t - s.at(-2)!.t).toBeLessThanOrEqual(1_100);
    rec.close();
  });

  it("internal routes refuse a request without (401) or with a wrong (403) secret, and run nothing", async () => {
    const name = `${PREFIX}power`;
    expect(virsh("domstate", name).split("\n")[0]).toBe("shut off");
    const m = ((await onB.req("GET", "/api/machines")).json.rows as MachineRow[]).find((r) => r.name === name)!;
    const body = JSON.stringify({
      callId: "hx-xcall-0001",
      hostId,
      method: "domain.action",
      params: { uuid: m.uuid, action: "start" },
      timeoutMs: 10_000,
    });
    const url = `${cluster.servers[0]!.url}/internal/agent-call`;
    const none = await fetch(url, { method: "POST", body, headers: { "content-type": "application/json" } });
    expect(none.status).toBe(401);
    const wrong = await fetch(url, { method: "POST", body, headers: { "content-type": "application/json", [CLUSTER_HEADER]: `${SECRET}x` } });
    expect(wrong.status).toBe(403);
    expect((await fetch(`${cluster.servers[0]!.url}/internal/inventory`, { headers: { [CLUSTER_HEADER]: "nope" } })).status).toBe(403);
    await new Promise((r) => setTimeout(r, 500));
    expect(virsh("domstate", name).split("\n")[0]).toBe("shut off");
  });

  it("the extra hop of a small call: 200 pool lists on A, then via B", async () => {
    const path = `/api/hosts/${hostId}/pools`;
    const time = async (c: Client) => {
      const ms: number[] = [];
      for (let i = 0; i < 20; i++) await c.req("GET", path); // warm-up
      for (let i = 0; i < 200; i++) {
        const t0 = performance.now();
        const r = await c.req("GET", path);
        ms.push(performance.now() - t0);
        expect(r.status).toBe(200);
      }
      return ms;
    };
    const a = await time(onA);
    const b = await time(onB);
    const fmt = (xs: number[]) => `p50 ${pct(xs, 50).toFixed(1)} ms, p95 ${pct(xs, 95).toFixed(1)} ms`;
    console.log(`[replicas-calls] GET pools (pool.list) on A: ${fmt(a)}; via B: ${fmt(b)}`);
    // One hop on the loopback: well under the call itself plus 50 ms at p50.
    expect(pct(b, 50)).toBeLessThan(pct(a, 50) + 50);
  }, 120_000);

  it("a host whose agent no live server holds is offline on A and on B, and its calls answer 503 on both", async () => {
    const db = createDb(cluster.db.url);
    const ghost = await db.host.create({ data: { name: `${PREFIX}ghost`, credentialHash: `${PREFIX}never-used-credential` } });
    await db.$disconnect();
    for (const c of [onA, onB]) {
      const h = ((await c.req("GET", "/api/hosts")).json.hosts as HostRow[]).find((x) => x.id === ghost.id)!;
      expect(h.status).toBe("offline");
      expect((await c.req("GET", `/api/hosts/${ghost.id}/pools`)).status).toBe(503);
    }
  });

  it("when A dies, B shows its host offline and its rows stale; no server holds it and calls answer 503", async () => {
    const recorder = await EventRecorder.open(onB.base, onB.cookie);
    await cluster.servers[0]!.stop("SIGKILL");
    await recorder.waitFor("rows stale on B", (e) => e.type === "machines.host" && e.hostId === hostId && e.stale, 0, 30_000);
    const host = ((await onB.req("GET", "/api/hosts")).json.hosts as HostRow[]).find((h) => h.id === hostId)!;
    expect(host.status).toBe("offline");
    const rows = (await onB.req("GET", "/api/machines")).json.rows as MachineRow[];
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.stale)).toBe(true);
    expect((await onB.req("GET", `/api/hosts/${hostId}/pools`)).status).toBe(503);
    recorder.close();
  }, 60_000);
});

labSuite(["postgres", "libvirt"], "without HANGAR_CLUSTER_SECRET, a server knows only its own agents (as before)", () => {
  let cluster: Cluster;
  beforeAll(async () => {
    cluster = await startCluster(2, {}, (i): Record<string, string> => (i === 0 ? { HANGAR_LOCAL_AGENT: "1" } : {}));
    await until("inventory on A", async () => (await cluster.admin.req("GET", "/api/machines")).json.rows.length > 0, 60_000);
  }, 120_000);
  afterAll(() => cluster?.stop());

  it("B shows A's host offline and answers its calls 503; internal routes refuse everything", async () => {
    const onB = on(cluster.servers[1]!.url, cluster.admin);
    const host = ((await cluster.admin.req("GET", "/api/hosts")).json.hosts as HostRow[]).find((h) => h.status === "online")!;
    // Long enough for a mirror to have seeded, had there been one.
    await new Promise((r) => setTimeout(r, 3_000));
    const onBHost = ((await onB.req("GET", "/api/hosts")).json.hosts as HostRow[]).find((h) => h.id === host.id)!;
    expect(onBHost.status).toBe("offline");
    expect((await onB.req("GET", `/api/hosts/${host.id}/pools`)).status).toBe(503);
    const r = await fetch(`${cluster.servers[0]!.url}/internal/inventory`, { headers: { [CLUSTER_HEADER]: "anything" } });
    expect(r.status).toBe(403);
  });
});

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
const container = (n: number, name: string) => ({
  id: String(n).repeat(64).slice(0, 64),
  name,
  image: "localhost/mini:latest",
  imageId: "sha256:0",
  command: "sh",
  state: "running",
  status: "Up",
  createdAt: new Date(0).toISOString(),
  ports: [],
  health: null,
});

labSuite("postgres", "the inventory mirror with a scripted agent on A: containers, scoped rows, metric demand, an agent that moves", () => {
  let cluster: Cluster;
  let onA: Client;
  let onB: Client;
  let agent: PeerAgent;
  beforeAll(async () => {
    cluster = await startCluster(2, { HANGAR_CLUSTER_SECRET: SECRET });
    onA = cluster.admin;
    onB = on(cluster.servers[1]!.url, onA);
    agent = await PeerAgent.enroll(onA, `${PREFIX}peer`);
    agent.event({ kind: "domain.inventory", domains: [peerDomain({ uuid: uuid(1), name: "vm-1" }), peerDomain({ uuid: uuid(2), name: "vm-2" })] });
    agent.event({ kind: "container.inventory", engine: null, containers: [container(1, "ct-1"), container(2, "ct-2")] });
  }, 60_000);
  afterAll(async () => {
    await agent?.close();
    await cluster?.stop();
  });

  it("B lists the containers A's agent reported, and a change A hears reaches B's list", async () => {
    await until("containers on B", async () => (await onB.req("GET", "/api/containers")).json.rows.length === 2);
    agent.event({ kind: "container.removed", id: container(2, "").id, name: "ct-2" });
    agent.event({ kind: "domain.removed", uuid: uuid(2), name: "vm-2" });
    await until("removals on B", async () => (await onB.req("GET", "/api/containers")).json.rows.length === 1);
    await until("machine removal on B", async () => (await onB.req("GET", "/api/machines")).json.rows.length === 1);
    agent.event({ kind: "domain.changed", cause: "defined", domain: peerDomain({ uuid: uuid(2), name: "vm-2" }) });
    await until("vm-2 back on B", async () => (await onB.req("GET", "/api/machines")).json.rows.length === 2);
  });

  it("a user scoped to a tag sees on B exactly the tagged VM and container of A's host", async () => {
    const password = "a long enough password";
    const r = await onA.req("POST", "/api/users", { username: "hx-xcall-otto", password, role: "none" });
    expect(r.status).toBe(201);
    expect(
      (
        await onA.req("POST", "/api/assignments", {
          subject: { type: "user", id: r.json.user.id },
          role: "operator",
          scope: { type: "tag", id: "web" },
        })
      ).status,
    ).toBe(201);
    // Tagged through B: the tag is a row, the machine is A's.
    expect((await onB.req("PUT", `/api/machines/${agent.hostId}/${uuid(1)}/tags`, { tags: ["web"] })).status).toBe(200);
    expect((await onB.req("PUT", `/api/containers/${agent.hostId}/${container(1, "").id}/tags`, { tags: ["web"] })).status).toBe(200);
    const otto = new Client(cluster.servers[1]!.url);
    expect((await otto.req("POST", "/api/auth/login", { username: "hx-xcall-otto", password })).status).toBe(200);
    await until("otto's rows on B", async () => {
      const rows = (await otto.req("GET", "/api/machines")).json.rows as MachineRow[];
      return rows.length === 1 && rows[0]!.name === "vm-1" ? rows : null;
    });
    expect(((await otto.req("GET", "/api/containers")).json.rows as { name: string }[]).map((c) => c.name)).toEqual(["ct-1"]);
  });

  it("the agent streams the union of what A's and B's browsers watch; B's demand leaves with B's subscriber", async () => {
    const recA = await EventRecorder.open(onA.base, onA.cookie);
    const recB = await EventRecorder.open(onB.base, onB.cookie);
    recA.ws.send(JSON.stringify({ type: "metrics.subscribe", series: [`host/${agent.hostId}`] }));
    await until("A's watch", () => agent.watches.at(-1)?.join(",") === "host", 5_000, 20);
    recB.ws.send(JSON.stringify({ type: "metrics.subscribe", series: [`vm/${agent.hostId}/${uuid(1)}`] }));
    await until("A's and B's watch", () => agent.watches.at(-1)?.join(",") === `host,vm:${uuid(1)}`, 5_000, 20);
    // A sample of B's target reaches B's browser (through A), A's target stays A's.
    agent.event({
      kind: "metrics.samples",
      coarse: false,
      samples: [{ target: `vm:${uuid(1)}`, t: Date.now(), v: [1, 1, 512, 512, 256, 0, 0, 0, 0, 0, 0] }],
    });
    const got = await recB.waitFor(
      "vm sample on B",
      (e) => e.type === "metrics" && e.samples.some((s) => s.series === `vm/${agent.hostId}/${uuid(1)}`),
      0,
      5_000,
    );
    expect(got.type).toBe("metrics");
    recB.close();
    await until("B's demand gone", () => agent.watches.at(-1)?.join(",") === "host", 5_000, 20);
    recA.close();
  });

  it("an import asked of B streams the agent's progress from A to B's browser; a cancel asked of A reaches the agent through B", async () => {
    // From here on this test answers the agent's calls itself: progress every 50 ms until cancelled.
    agent.ws.removeAllListeners("message");
    let cancelled = 0;
    agent.ws.on("message", (d) => {
      const f = JSON.parse(String(d)) as { type: string; id: number; method?: string };
      if (f.type === "req" && f.method === "disk.import") {
        let done = 0;
        const t = setInterval(() => agent.ws.send(JSON.stringify({ type: "progress", id: f.id, done: (done += 5), total: 100 })), 50);
        agent.ws.on("message", (c) => {
          const g = JSON.parse(String(c)) as { type: string; id: number };
          if (g.type !== "cancel" || g.id !== f.id) return;
          clearInterval(t);
          cancelled++;
          agent.ws.send(
            JSON.stringify({ type: "res", id: f.id, ok: false, error: { code: "cancelled", message: "qemu-img stopped, partial file removed" } }),
          );
        });
      } else if (f.type === "req") agent.ws.send(JSON.stringify({ type: "res", id: f.id, ok: true, result: { watching: 0 } }));
    });
    const recB = await EventRecorder.open(onB.base, onB.cookie);
    const r = await onB.req("POST", `/api/machines/${agent.hostId}/import`, {
      sourcePool: "default",
      sourceVolume: "disk.vmdk",
      targetPool: "default",
      name: "hx-xcall-imp",
    });
    expect(r.status, JSON.stringify(r.json)).toBe(202);
    const taskId = r.json.task.id as string;
    await until("progress on B", () => recB.events.filter((e) => e.type === "task.progress" && e.taskId === taskId).length >= 3, 10_000, 20);
    // Cancelled on A: A does not run the task, B does; the cancel crosses to B, B's call to A, A's to the agent.
    const c = await onA.req("POST", `/api/tasks/${taskId}/cancel`);
    expect(c.status, JSON.stringify(c.json)).toBe(202);
    const end = await recB.waitFor("task end on B", (e) => e.type === "task.upsert" && e.task.id === taskId && e.task.status === "failed", 0, 10_000);
    if (end.type !== "task.upsert") throw new Error("unreachable");
    expect(end.task.error).toMatch(/^Cancelled by admin/);
    expect(cancelled).toBe(1);
    recB.close();
  });

  it("an agent that moves from A to B is listed by both: local on B, mirrored on A", async () => {
    await agent.close();
    await until(
      "offline on B",
      async () => ((await onB.req("GET", "/api/hosts")).json.hosts as HostRow[]).find((h) => h.id === agent.hostId)?.status === "offline",
    );
    agent = await PeerAgent.connect(onB.base, agent.hostId, agent.credential);
    agent.event({ kind: "domain.inventory", domains: [peerDomain({ uuid: uuid(3), name: "vm-3" })] });
    for (const c of [onA, onB])
      await until("online, with its new inventory", async () => {
        const h = ((await c.req("GET", "/api/hosts")).json.hosts as HostRow[]).find((x) => x.id === agent.hostId);
        const rows = (await c.req("GET", "/api/machines")).json.rows as MachineRow[];
        return h?.status === "online" && rows.map((r) => `${r.name}:${r.stale}`).join(",") === "vm-3:false";
      });
  });
});
