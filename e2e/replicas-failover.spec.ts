// A server dies with a page open on it (issue 15 acceptance: "killing server A moves its
// agent to B and the browser shows the host online again without a reload"). Two real
// servers on one PostgreSQL behind a one-line balancer (a TCP proxy whose target moves to B
// when A dies, as a health-checked balancer does); a real agent (the built agent, libvirt's
// test driver) given "A,B". After kill -9 A, the page's event socket reconnects through the
// balancer to B (another epoch: it refetches), and the host card shows online, from B,
// without a reload.
import { expect, test } from "@playwright/test";
import { startCluster, type Cluster } from "../tests/helpers/cluster";
import { guardSpec } from "../tests/helpers/lab-env";
import { Fleet } from "../bench/fleet/fleet";
import { CuttableProxy } from "./cuttable-proxy";

const PREFIX = "hx-fleet-e2e-";

guardSpec(test, "postgres", "libvirt");
test.describe.configure({ mode: "serial" });

let cluster: Cluster;
let fleet: Fleet;
let balancer: CuttableProxy;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  cluster = await startCluster(2);
  fleet = await Fleet.start({ servers: cluster.servers.map((s) => s.url), admin: cluster.admin, agents: 1, vmsPerAgent: 2, prefix: PREFIX });
  await fleet.online(60_000);
  balancer = await CuttableProxy.start(cluster.servers[0]!.port);
});

test.afterAll(async () => {
  await balancer?.close();
  await fleet?.stop();
  await cluster?.stop();
});

test("kill -9 the page's server: the page reconnects to B through the balancer and shows the host online, without a reload", async ({ page }) => {
  test.setTimeout(90_000);
  const agent = fleet.agents[0]!;
  const [name, value] = cluster.admin.cookie.split("=") as [string, string];
  await page.context().addCookies([{ name, value, url: balancer.url }]);
  await page.goto(`${balancer.url}/hosts`);
  await expect(page.getByTestId("live-status")).toHaveAttribute("data-state", "live");
  const card = page.locator(`[data-testid="host-card"][data-host="${agent.hostName}"]`);
  await expect(card).toHaveAttribute("data-status", "online");
  await page.evaluate(() => ((window as unknown as { hangarMark: string }).hangarMark = "kept"));
  // The first /api/hosts answered after the kill comes from B (A is gone, the balancer sends new connections to B).
  const refetched = page.waitForResponse((r) => new URL(r.url()).pathname === "/api/hosts" && r.status() === 200, { timeout: 45_000 });

  await cluster.servers[0]!.stop("SIGKILL");
  balancer.retarget(cluster.servers[1]!.port);
  const killedAt = Date.now();

  await expect(page.getByTestId("live-status")).not.toHaveAttribute("data-state", "live", { timeout: 10_000 });
  await expect(page.getByTestId("live-status")).toHaveAttribute("data-state", "live", { timeout: 30_000 });
  // Another epoch on B: the page refetched instead of resuming.
  await refetched;
  await expect(card).toHaveAttribute("data-status", "online", { timeout: 20_000 });
  await expect(card.getByTestId("host-status")).toHaveText("online");
  expect(await page.evaluate(() => (window as unknown as { hangarMark?: string }).hangarMark)).toBe("kept");
  console.log(`replicas-failover e2e: kill -9 A → host card online on the page via B in ${Date.now() - killedAt} ms`);
});
