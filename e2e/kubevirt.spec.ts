// contract: KubeVirt machines in the UI, from an agent whose kubeconfig names the replay
// API server (tests/helpers/kube-replay.ts; no real cluster can run here): the table shows
// them with a KubeVirt badge, a watch event changes the row live, and the detail page
// offers only what works for KubeVirt, saying why.
import { expect, test } from "@playwright/test";
import { guardSpec } from "../tests/helpers/lab-env";
import { documentedCluster, fixture, type KubeReplay } from "../tests/helpers/kube-replay";
import { enrollAgent, removeHost } from "./agent";
import { E2E_ADMIN, signIn } from "./session";

guardSpec(test, "libvirt");
test.describe.configure({ mode: "serial" });

let replay: KubeReplay;
let cleanup: (() => void) | null = null;
let hostId = "";

test.beforeAll(async ({ request }) => {
  replay = await documentedCluster().start();
  // The enrolled agent inherits this worker's environment.
  process.env.HANGAR_KUBECONFIG = replay.kubeconfig();
  const base = process.env.HANGAR_E2E_URL!;
  const headers = { "X-Hangar-CSRF": "1", Origin: base };
  if ((await request.post(`${base}/api/setup`, { data: { token: process.env.HANGAR_E2E_SETUP_TOKEN, ...E2E_ADMIN }, headers })).status() !== 201)
    await request.post(`${base}/api/auth/login`, { data: E2E_ADMIN, headers });
  ({ cleanup, hostId } = await enrollAgent(request, "hx-kubevirt-host"));
  delete process.env.HANGAR_KUBECONFIG;
});

test.afterAll(async ({ browser }) => {
  cleanup?.();
  await replay?.stop();
  await removeHost(browser, hostId);
});

test("contract: KubeVirt VMs show in the machines table with a badge; a watch event changes the row live", async ({ page }) => {
  await signIn(page);
  await page.goto(process.env.HANGAR_E2E_URL + "/machines");
  await expect(page.getByTestId("live-status")).toHaveAttribute("data-state", "live");
  const link = page.getByRole("link", { name: /default\/vm-cirros/ });
  await expect(link).toBeVisible({ timeout: 30_000 });
  const row = page.getByRole("row").filter({ has: link });
  await expect(row.getByTestId("engine-badge")).toHaveText("KubeVirt");
  await expect(row.getByTestId("state-badge")).toHaveAttribute("data-state", "shutoff");
  replay.push("MODIFIED", "virtualmachines", { ...fixture("vm-stopped"), status: { printableStatus: "Running" } });
  await expect(row.getByTestId("state-badge")).toHaveAttribute("data-state", "running");
});

test("contract: the detail page of a KubeVirt VM offers overview, console and devices only, and says why", async ({ page }) => {
  await signIn(page);
  await page.goto(process.env.HANGAR_E2E_URL + "/machines");
  await page.getByRole("link", { name: /default\/testvm/ }).click();
  await expect(page.getByRole("heading", { name: "default/testvm" })).toBeVisible();
  await expect(page.getByTestId("kubevirt-note")).toContainText("kubectl");
  const tabs = page.getByRole("tab");
  await expect(tabs).toHaveText([/overview/i, /console/i, /devices/i]);
  await expect(page.getByRole("button", { name: /clone/i })).toHaveCount(0);
  await expect(page.getByRole("button", { name: /delete/i })).toHaveCount(0);
  // Power actions stay: they are KubeVirt subresources.
  await expect(page.getByRole("button", { name: "Pause" })).toBeVisible();
});
