// Faults with a browser open, against the real lab: the network lost for 30 s while ten
// machines change behind Hangar's back, the server killed while a task runs, and libvirtd
// restarted under the agent. Each time the page recovers by itself, without a reload, and
// shows the truth: every change, the task's final state, no duplicate rows.
import { execFileSync, spawn } from "node:child_process";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { startWithAdmin, type Client, type TestServer } from "../tests/helpers/server";
import { defineScratch, undefineScratch } from "../tests/helpers/scratch-domains";
import { CuttableProxy } from "./cuttable-proxy";
import { guardSpec } from "../tests/helpers/lab-env";

const VM = "hangar-test-2";
const PREFIX = "hangar-e2e-away-";
const virsh = (...a: string[]) => execFileSync("virsh", ["-c", "qemu:///system", ...a], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
const off = () => {
  try {
    virsh("destroy", VM);
  } catch {
    /* already off */
  }
};

guardSpec(test, "libvirt");
test.describe.configure({ mode: "serial" });

let srv: TestServer;
let admin: Client;
let proxy: CuttableProxy;
const agentPid = () =>
  Number(
    execFileSync("pgrep", ["-f", `agent.mjs --server http://127.0.0.1:${srv.port}`], { encoding: "utf8" })
      .trim()
      .split("\n")[0],
  );

test.beforeAll(async () => {
  off();
  undefineScratch(PREFIX);
  ({ srv, admin } = await startWithAdmin({ HANGAR_LOCAL_AGENT: "1" }));
  proxy = await CuttableProxy.start(srv.port);
});

test.afterAll(async () => {
  await proxy?.close();
  await srv?.stop();
  off();
  undefineScratch(PREFIX);
});

/** The machines page through the proxy, signed in with the admin's session, live. */
async function machinesPage(page: Page): Promise<void> {
  const [name, value] = admin.cookie.split("=") as [string, string];
  await page.context().addCookies([{ name, value, url: proxy.url }]);
  await page.goto(`${proxy.url}/machines`);
  await expect(page.getByTestId("live-status")).toHaveAttribute("data-state", "live");
  await expect(page.locator(`[data-testid="machine-row"][data-name="${VM}"]`)).toBeVisible({ timeout: 30_000 });
  // Survives only if the page is never reloaded.
  await page.evaluate(() => ((window as unknown as { hangarMark: string }).hangarMark = "kept"));
}
const rows = (page: Page, prefix: string) => page.locator(`[data-testid="machine-row"][data-name^="${prefix}"]`);
const notReloaded = (page: Page) => page.evaluate(() => (window as unknown as { hangarMark?: string }).hangarMark);

test("network lost for 30 s while ten machines are defined: all ten shown when it returns, from the missed events", async ({ page }) => {
  test.setTimeout(120_000);
  await machinesPage(page);
  await page.getByLabel("Search machines").fill(PREFIX);
  let refetches = 0;
  page.on("request", (r) => void (new URL(r.url()).pathname === "/api/machines" && refetches++));

  await page.context().setOffline(true);
  proxy.cutOff();
  await expect(page.getByTestId("live-status")).toHaveAttribute("data-state", "offline", { timeout: 10_000 });
  for (let i = 0; i < 10; i++) defineScratch(`${PREFIX}${i}`);
  await page.waitForTimeout(30_000);
  proxy.restore();
  await page.context().setOffline(false);

  await expect(page.getByTestId("live-status")).toHaveAttribute("data-state", "live", { timeout: 20_000 });
  await expect(rows(page, PREFIX)).toHaveCount(10, { timeout: 10_000 });
  // They came from the replayed events: the list was not fetched again.
  expect(refetches).toBe(0);
  expect(await notReloaded(page)).toBe("kept");
});

test("server killed while a task runs: the page reconnects by itself and shows the task's final state and what changed meanwhile", async ({
  page,
}) => {
  test.setTimeout(120_000);
  await machinesPage(page);
  const hostId = (await admin.req("GET", "/api/hosts")).json.hosts[0].id as string;
  const uuid = (await admin.req("GET", "/api/machines")).json.rows.find((r: { name: string }) => r.name === VM).uuid as string;
  const agent = agentPid();
  process.kill(agent, "SIGSTOP"); // the start below is sent and never answered
  const r = await admin.req("POST", `/api/machines/${hostId}/${uuid}/actions`, { action: "start" });
  expect(r.status).toBe(202);

  await srv.stop("SIGKILL", true);
  process.kill(agent, "SIGKILL");
  await expect(page.getByTestId("live-status")).toHaveAttribute("data-state", "offline", { timeout: 10_000 });
  defineScratch(`${PREFIX}restart`); // changed while the server is down
  srv = await srv.restart();

  await expect(page.getByTestId("live-status")).toHaveAttribute("data-state", "live", { timeout: 30_000 });
  await expect(rows(page, `${PREFIX}restart`)).toHaveCount(1, { timeout: 20_000 });
  await expect(page.locator(`[data-testid="machine-row"][data-name="${VM}"] [data-testid="state-badge"]`)).toHaveAttribute("data-state", "shutoff");
  // The task is settled in the database and the page shows it, after client-side navigation.
  await page.getByRole("link", { name: "Tasks" }).click();
  await expect(page.locator(`[data-testid="task-row"][data-task="${r.json.task.id}"]`)).toHaveAttribute("data-status", "failed", { timeout: 30_000 });
  expect(await notReloaded(page)).toBe("kept");
});

test("libvirtd restarted with the machines page open: degraded within 2 s, recovers by itself, no duplicate rows", async ({ page }) => {
  test.setTimeout(120_000);
  await machinesPage(page);
  const banner = page.getByTestId("host-degraded");
  await expect(banner).toHaveCount(0);
  const restart = spawn("bash", [path.resolve("scripts/lab/libvirt-restart.sh")], { stdio: "ignore" });
  const exited = new Promise<number | null>((r) => restart.on("exit", r));
  // The script kills libvirtd at once; the page must say so within 2 s.
  await expect(banner).toHaveAttribute("data-reason", "libvirt", { timeout: 2_000 });
  expect(await exited).toBe(0);
  await expect(banner).toHaveCount(0, { timeout: 60_000 });
  const total = (await admin.req("GET", "/api/machines")).json.total as number;
  await page.getByLabel("Search machines").fill("");
  await expect(page.getByTestId("machine-count")).toContainText(`${total} of ${total}`);
  for (const name of ["hangar-test-1", VM]) await expect(page.locator(`[data-testid="machine-row"][data-name="${name}"]`)).toHaveCount(1);
  expect(await notReloaded(page)).toBe("kept");
});
