// The alerts page in Chromium: an admin creates a file-system rule with a low threshold in
// the form, the header badge turns to one firing alert live (no reload) from a real
// agent's metrics, and the alert is silenced from its row.
import { expect, test } from "@playwright/test";
import { signIn } from "./session";
import { enrollAgent, removeHost } from "./agent";

let cleanup: (() => void) | null = null;
let hostId = "";
test.afterAll(async ({ browser }) => {
  cleanup?.();
  await removeHost(browser, hostId);
});

test("a rule made in the form fires from real metrics; the badge counts it live; silence it from its row", async ({ page }) => {
  const base = process.env.HANGAR_E2E_URL!;
  await signIn(page);
  const enrolled = await enrollAgent(page.request, `hx-alerts-host-${process.pid}`);
  cleanup = enrolled.cleanup;
  hostId = enrolled.hostId;
  await expect
    .poll(async () => ((await (await page.request.get(`${base}/api/hosts/${enrolled.hostId}`)).json()) as { host: { status: string } }).host.status, {
      timeout: 30_000,
    })
    .toBe("online");

  await page.goto(`${base}/`);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Alerts", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Alerts" })).toBeVisible();
  const badge = page.getByTestId("alerts-badge");
  const before = Number(await badge.getAttribute("data-firing"));

  await page.getByRole("tab", { name: "rules" }).click();
  const form = page.getByRole("form", { name: "New alert rule" });
  await form.getByLabel("Name").fill("Disk filling (e2e)");
  await form.getByLabel("Kind").selectOption("host.fs");
  await form.getByLabel("Threshold").fill("1");
  await form.getByLabel("Scope").selectOption("host");
  await form.getByLabel("Host id").fill(enrolled.hostId);
  await form.getByRole("button", { name: "Create rule" }).click();
  await expect(page.getByTestId("rule-row").filter({ hasText: "Disk filling (e2e)" })).toBeVisible();

  // Host samples arrive every 10 s; the badge follows the event socket.
  await expect(badge).toHaveAttribute("data-firing", String(before + 1), { timeout: 30_000 });
  await page.getByRole("tab", { name: "alerts" }).first().click();
  const row = page.getByTestId("alert-row").filter({ hasText: "Disk filling (e2e)" });
  await expect(row).toHaveAttribute("data-state", "firing");
  await expect(row).toContainText(/fs \d/);
  await row.getByRole("button", { name: "Silence…" }).click();
  await row.getByLabel("Comment").fill("e2e maintenance");
  await row.getByRole("button", { name: "Silence", exact: true }).click();
  await expect(row).toContainText("(silenced)");
  await page.getByRole("tab", { name: "silences" }).click();
  await expect(page.getByTestId("silence-row").filter({ hasText: "e2e maintenance" })).toBeVisible();
});
