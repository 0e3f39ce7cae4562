// The Backups page in Chromium: an admin opens it from the navigation, creates a job for a
// tag no machine carries (so nothing is copied), sees the next three runs of its cron in
// the chosen time zone before saving, then pauses, resumes and deletes it (confirmed).
import { expect, test } from "@playwright/test";
import { signIn } from "./session";

const base = () => process.env.HANGAR_E2E_URL!;

test("an admin creates, pauses, resumes and deletes a backup job", async ({ page }) => {
  await signIn(page);
  await page.goto(base() + "/");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Backups", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Backups" })).toBeVisible();
  await page.getByRole("button", { name: "New job" }).click();
  const form = page.getByRole("form", { name: "New backup job" });
  await form.getByLabel("Name").fill("hx-backups-e2e");
  await form.getByLabel("Target", { exact: true }).selectOption("tag");
  await form.getByLabel("Tag").fill("hx-backups-e2e-none");
  await form.getByLabel("Schedule (cron)").fill("30 2 * * *");
  await form.getByLabel("Time zone").fill("Europe/Madrid");
  // Three runs at 02:30 Madrid time, as the server computes them.
  const preview = page.getByTestId("cron-preview");
  await expect(preview).toContainText("Europe/Madrid");
  await expect(preview).toContainText("2:30");
  await expect.poll(async () => ((await preview.textContent()) ?? "").split("·").length).toBe(3);
  // A bad cron is refused inline, naming the field.
  await form.getByLabel("Schedule (cron)").fill("61 * * * *");
  await expect(preview).toContainText(/cron/i);
  await form.getByLabel("Schedule (cron)").fill("30 2 * * *");
  await form.getByLabel("Directory on the host").fill("/tmp/hx-backups-e2e");
  await form.getByRole("button", { name: "Create job" }).click();

  const row = page.locator('[data-testid="job-row"][data-job="hx-backups-e2e"]');
  await expect(row).toBeVisible();
  await expect(row).toContainText("tag hx-backups-e2e-none");
  await expect(row).toContainText("last 7");
  await row.getByRole("button", { name: "Pause" }).click();
  await expect(row).toContainText("paused");
  await row.getByRole("button", { name: "Resume" }).click();
  await expect(row).not.toContainText("paused");
  await row.getByRole("button", { name: "Run now" }).click();
  await row.getByRole("button", { name: "hx-backups-e2e" }).click();
  // No machine has the tag: run now made no run.
  await expect(page.getByText("No run yet.")).toBeVisible();
  await row.getByRole("button", { name: "Delete" }).click();
  const dialog = page.getByRole("dialog", { name: "Delete job hx-backups-e2e?" });
  await dialog.getByRole("button", { name: "Delete job" }).click();
  await expect(row).toHaveCount(0);
});
