// The simulated fleet tool (bench/fleet/fleet.ts) does what the benchmark relies on: K
// real agent processes on libvirt's test driver, enrolled round-robin on two real servers
// on one PostgreSQL, all come online, each server lists its agents' domains with their
// own uuids, an action through REST changes the one domain it names (each agent's test
// connection is private), and stopping the fleet takes its hosts offline.
import { afterAll, beforeAll, expect, it } from "vitest";
import { labSuite, until } from "../helpers/lab";
import { startCluster, type Cluster } from "../helpers/cluster";
import { Fleet, fleetUuid, signedIn } from "../../bench/fleet/fleet";
import { finalTask } from "../helpers/tasks";

const PREFIX = "hx-fleet-tool-";
const K = 6;
const M = 5;

labSuite(["postgres", "libvirt"], "simulated fleet tool", () => {
  let cluster: Cluster;
  let fleet: Fleet | null = null;
  let urls: string[] = [];

  beforeAll(async () => {
    cluster = await startCluster(2);
    urls = cluster.servers.map((s) => s.url);
  }, 60_000);
  afterAll(async () => {
    await fleet?.stop();
    await cluster?.stop();
  });

  type Row = { hostId: string; uuid: string; name: string; state: string };
  const rows = async (url: string): Promise<Row[]> =>
    ((await signedIn(cluster.admin, url).req("GET", "/api/machines?view=table")).json.rows as Row[]).filter((r) => r.name.startsWith(PREFIX));

  it(`starts ${K} agents × ${M} test-driver domains, round-robin over two servers, all online`, async () => {
    fleet = await Fleet.start({ servers: urls, admin: cluster.admin, agents: K, vmsPerAgent: M, prefix: PREFIX });
    const up = await fleet.online(60_000);
    // Round-robin: each server holds half the agents (before the inventory mirror, each
    // server shows online exactly the agents connected to it).
    expect(up.byServer.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(K);
    expect(Math.min(...up.byServer)).toBeGreaterThanOrEqual(K / 2);
    for (const [s, url] of urls.entries()) {
      const mine = fleet.agents.filter((a) => a.home === url);
      const want = mine.flatMap((a) => a.uuids.map((u) => `${a.hostId}/${u}`)).sort();
      await until(`server ${s} lists its agents' domains`, async () => {
        const got = new Set((await rows(url)).map((r) => `${r.hostId}/${r.uuid}`));
        return want.every((k) => got.has(k));
      });
    }
    const rss = fleet.rss();
    expect(rss).toHaveLength(K);
    for (const mib of rss) expect(mib).toBeGreaterThan(10);
    console.log(`fleet-tool: ${K} agents online in ${up.ms} ms (${up.byServer.join("/")}), RSS MiB ${rss.map((r) => r.toFixed(0)).join(" ")}`);
  }, 120_000);

  it("an action through REST changes exactly the domain it names on that agent's private test connection", async () => {
    const agent = fleet!.agents[1]!;
    const admin = signedIn(cluster.admin, agent.home);
    const uuid = fleetUuid(1, 2);
    const r = await admin.req("POST", `/api/machines/${agent.hostId}/${uuid}/actions`, { action: "suspend" });
    expect([200, 202], JSON.stringify(r.json)).toContain(r.status);
    expect((await finalTask(admin, r.json.task.id)).status).toBe("succeeded");
    await until("paused listed", async () => (await rows(agent.home)).find((x) => x.uuid === uuid && x.hostId === agent.hostId)?.state === "paused");
    const others = (await rows(agent.home)).filter((x) => !(x.uuid === uuid && x.hostId === agent.hostId));
    expect(others.length).toBeGreaterThan(0);
    expect(new Set(others.map((x) => x.state))).toEqual(new Set(["running"]));
  }, 60_000);

  it("stopping the fleet takes its hosts offline on every server", async () => {
    const ids = new Set(fleet!.agents.map((a) => a.hostId));
    await fleet!.stop();
    fleet = null;
    for (const url of urls)
      await until(`hosts offline on ${url}`, async () => {
        const hosts = (await signedIn(cluster.admin, url).req("GET", "/api/hosts")).json.hosts as { id: string; status: string }[];
        return hosts.filter((h) => ids.has(h.id)).every((h) => h.status === "offline");
      });
  }, 60_000);
});
