// Runs after vm-console.spec.ts (spec files run in name order with one worker).
// Live charts in Chromium against a real agent and QEMU guest: the machine page's chart
// draws and keeps moving; leaving the page makes the agent stop streaming that machine
// (asserted from the agent's own stats); host page and dashboard show the fleet.
import { execFileSync } from "node:child_process";
import { expect, test } from "@playwright/test";
import { guardSpec } from "../tests/helpers/lab-env";
import { signIn } from "./session";
import { enrollAgent } from "./agent";

const VM = "hangar-test-1";
const virsh = (...a: string[]) => execFileSync("virsh", ["-c", "qemu:///system", ...a], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

// Skips without the lab; under CI / HANGAR_REQUIRE_LAB=1 fails instead (npm test starts the lab).
guardSpec(test, "libvirt");
test.describe.configure({ mode: "serial" });

let cleanup: () => void = () => undefined;
let hostId = "";
let uuid = "";
const base = () => process.env.HANGAR_E2E_URL!;

test.beforeAll(async ({ request }) => {
  try {
    virsh("destroy", VM);
  } catch {
    /* off */
  }
  virsh("start", VM);
  const headers = { "X-Hangar-CSRF": "1", Origin: base() };
  const login = await request.post(`${base()}/api/auth/login`, { data: { username: "admin", password: "a long enough e2e password" }, headers });
  if (!login.ok())
    await request.post(`${base()}/api/setup`, {
      data: { token: process.env.HANGAR_E2E_SETUP_TOKEN, username: "admin", password: "a long enough e2e password" },
      headers,
    });
  const a = await enrollAgent(request, "metrics-host");
  cleanup = a.cleanup;
  hostId = a.hostId;
  await expect
    .poll(
      async () =>
        (
          (await (await request.get(`${base()}/api/machines`)).json()) as { rows: { hostId: string; name: string; uuid: string; state: string }[] }
        ).rows.find((r) => r.hostId === hostId && r.name === VM && r.state === "running")?.uuid,
      { timeout: 60_000 },
    )
    .toBeTruthy();
  uuid = ((await (await request.get(`${base()}/api/machines`)).json()) as { rows: { hostId: string; name: string; uuid: string }[] }).rows.find(
    (r) => r.hostId === hostId && r.name === VM,
  )!.uuid;
});

test.afterAll(() => {
  cleanup();
  try {
    virsh("destroy", VM);
  } catch {
    /* off */
  }
});

test("machine chart draws, keeps moving, and leaving the page stops the agent streaming it", async ({ page }) => {
  await signIn(page);
  const watched = async () =>
    ((await (await page.request.get(`${base()}/api/hosts/${hostId}/agent-stats`)).json()) as { stats: { watched: string[] } }).stats.watched;
  await page.goto(`${base()}/machines/${hostId}/${uuid}`);
  const cpu = page.getByTestId("chart-cpu");
  await expect(cpu.locator("canvas")).toBeVisible({ timeout: 15_000 });
  await expect.poll(async () => Number(await cpu.getAttribute("data-points")), { timeout: 15_000 }).toBeGreaterThan(2);
  const last = Number(await cpu.getAttribute("data-last"));
  await expect.poll(async () => Number(await cpu.getAttribute("data-last")), { timeout: 10_000 }).toBeGreaterThan(last + 1);
  await expect(page.getByText("100 % = all 1 vCPUs busy")).toBeVisible();
  await expect(page.getByText(/Guest memory use: not reported/)).toBeVisible();
  await expect(page.getByTestId("metrics-freshness")).toContainText("live");
  await expect.poll(watched, { timeout: 10_000 }).toContain(`vm:${uuid}`);

  // A different range refetches history and keeps drawing.
  await page.getByRole("radio", { name: "1h" }).click();
  await expect.poll(async () => Number(await cpu.getAttribute("data-points")), { timeout: 10_000 }).toBeGreaterThan(2);

  await page.getByRole("link", { name: "Tasks" }).click();
  await expect(page).toHaveURL(/\/tasks$/);
  await expect.poll(watched, { timeout: 10_000 }).not.toContain(`vm:${uuid}`);
});

test("host page and dashboard show live fleet numbers", async ({ page }) => {
  await signIn(page);
  await page.goto(`${base()}/hosts/${hostId}`);
  await expect(page.getByRole("region", { name: "CPU cores" })).toBeVisible({ timeout: 15_000 });
  await expect(page.getByTestId("chart-cpu").locator("canvas")).toBeVisible();
  await page.goto(`${base()}/`);
  await expect(page.getByTestId("tile-hosts")).toContainText(/\d+ \/ \d+/);
  await expect(page.getByTestId("tile-machines")).toContainText(/[1-9]/);
  await expect(page.getByRole("region", { name: "Busiest hosts" }).getByRole("link").first()).toBeVisible({ timeout: 20_000 });
});
