// Runs after the vm-*.spec.ts files (spec files run in name order with one worker).
// Containers in Chromium against a real Podman: the table live-updates when a container
// is started from the command line, and the exec terminal runs `uname -a`.
import { execFileSync } from "node:child_process";
import { expect, test } from "@playwright/test";
import { guardSpec } from "../tests/helpers/lab-env";
import { signIn } from "./session";
import { enrollAgent } from "./agent";

const podman = (...a: string[]) => execFileSync("podman", a, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
const NAME = "hangar-e2e-cli";
const remove = () => {
  try {
    podman("rm", "-f", "-t", "0", NAME);
  } catch {
    /* not there */
  }
};

// Skips without the lab; under CI / HANGAR_REQUIRE_LAB=1 fails instead (npm test starts the lab).
guardSpec(test, "podman");
test.describe.configure({ mode: "serial" });

let cleanup: () => void = () => undefined;
const base = () => process.env.HANGAR_E2E_URL!;

test.beforeAll(async ({ request }) => {
  remove();
  const headers = { "X-Hangar-CSRF": "1", Origin: base() };
  const login = await request.post(`${base()}/api/auth/login`, { data: { username: "admin", password: "a long enough e2e password" }, headers });
  if (!login.ok())
    await request.post(`${base()}/api/setup`, {
      data: { token: process.env.HANGAR_E2E_SETUP_TOKEN, username: "admin", password: "a long enough e2e password" },
      headers,
    });
  const a = await enrollAgent(request, "containers-host");
  cleanup = a.cleanup;
  await expect
    .poll(
      async () =>
        ((await (await request.get(`${base()}/api/hosts`)).json()) as { hosts: { id: string; engine: unknown }[] }).hosts.some(
          (h) => h.id === a.hostId && h.engine,
        ),
      { timeout: 30_000 },
    )
    .toBe(true);
});

test.afterAll(() => {
  cleanup();
  remove();
});

test("a container started from the command line appears live; its shell runs uname -a", async ({ page }) => {
  await signIn(page);
  await page.goto(`${base()}/containers`);
  await expect(page.getByRole("tab", { name: "containers" })).toBeVisible();
  let listFetches = 0;
  page.on("request", (r) => {
    if (new URL(r.url()).pathname === "/api/containers") listFetches++;
  });
  await page.waitForTimeout(500);
  const before = listFetches;
  podman("run", "-d", "--name", NAME, "localhost/hangar-busybox:latest", "sleep", "600");
  const row = page.locator(`[data-testid="container-row"][data-name="${NAME}"]`).first();
  await expect(row).toBeVisible({ timeout: 15_000 });
  await expect(row.getByTestId("container-state")).toHaveAttribute("data-state", "running");
  // Pushed, not polled.
  expect(listFetches).toBe(before);

  await row.getByRole("link", { name: NAME }).click();
  await page.getByRole("tab", { name: "terminal" }).click();
  const term = page.getByTestId("exec-terminal");
  await expect(term).toHaveAttribute("data-state", "connected", { timeout: 20_000 });
  await page.getByTestId("exec-screen").click();
  await page.keyboard.type("uname -a");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("exec-screen").locator(".xterm-rows")).toContainText("Linux", { timeout: 15_000 });

  // Stopping from the command line updates the page by push too.
  podman("stop", "-t", "0", NAME);
  await expect(page.getByTestId("container-state").first()).toHaveAttribute("data-state", "exited", { timeout: 15_000 });
});
