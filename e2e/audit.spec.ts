// The audit page in Chromium: an admin opens it from the navigation, filters by user and
// sees only that user's rows with their details, and downloads the filtered CSV. Then the
// invitation flow: a link made in Settings opens a page outside the shell that signs the
// invitee in with the chosen role (no Audit entry in a viewer's navigation).
import fs from "node:fs";
import { expect, test } from "@playwright/test";
import { signIn } from "./session";

const base = () => process.env.HANGAR_E2E_URL!;

test("an admin filters the audit log by user and downloads it as CSV", async ({ page }) => {
  await signIn(page);
  const headers = { "X-Hangar-CSRF": "1", Origin: base() };
  // Two failed sign-ins by a user that exists nowhere: rows to find.
  for (let i = 0; i < 2; i++)
    await page.request.post(`${base()}/api/auth/login`, { data: { username: "e2e-mallory", password: `guess number ${i}` }, headers });
  await page.goto(base() + "/");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Audit log" })).toBeVisible();
  await expect(page.getByTestId("audit-row").first()).toBeVisible();

  await page.getByLabel("User", { exact: true }).fill("e2e-mallory");
  await page.getByRole("button", { name: "Apply" }).click();
  const rows = page.getByTestId("audit-row");
  await expect(rows).toHaveCount(2);
  for (const r of await rows.all()) await expect(r).toHaveAttribute("data-actor", "e2e-mallory");
  await expect(rows.first()).toContainText("auth.login");
  await expect(rows.first()).toContainText("failure");

  await page.getByLabel("User", { exact: true }).fill("nobody-at-all");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByText("Nothing in the audit log matches these filters.")).toBeVisible();
  await page.getByLabel("User", { exact: true }).fill("e2e-mallory");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(rows).toHaveCount(2);

  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download CSV" }).click()]);
  expect(download.suggestedFilename()).toMatch(/^hangar-audit-.*\.csv$/);
  const csv = fs
    .readFileSync((await download.path())!, "utf8")
    .trim()
    .split("\r\n");
  expect(csv[0]).toBe("at,actor,action,target,outcome,ip,details");
  expect(csv).toHaveLength(3);
  expect(csv.slice(1).every((l) => l.includes(",e2e-mallory,auth.login,"))).toBe(true);
});

test("an invitation made in Settings signs the invitee in with its role", async ({ page, browser }) => {
  await signIn(page);
  await page.goto(base() + "/settings");
  const form = page.getByRole("form", { name: "Invite someone" });
  await form.getByLabel("Role").selectOption("viewer");
  await form.getByRole("button", { name: "Create invitation link" }).click();
  const link = await page.getByTestId("secret-link").inputValue();
  expect(link).toMatch(/\/invite\/[A-Za-z0-9_-]{43}$/);
  await expect(page.getByTestId("invitation-row")).toHaveCount(1);

  const ctx = await browser.newContext();
  const invitee = await ctx.newPage();
  await invitee.goto(link);
  await expect(invitee.getByRole("heading", { name: "Join Hangar" })).toBeVisible();
  await invitee.getByLabel("Username").fill("e2e-vic");
  await invitee.getByLabel("Password (12 characters or more)").fill("a long enough invitee password");
  await invitee.getByLabel("Repeat password").fill("a long enough invitee password");
  await invitee.getByRole("button", { name: "Create my account" }).click();
  await expect(invitee.getByRole("heading", { name: "Dashboard" })).toBeVisible();
  const nav = invitee.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link", { name: "Machines", exact: true })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Audit", exact: true })).toHaveCount(0);
  // The link is spent: opening it again says so.
  await invitee.goto(link);
  await expect(invitee.getByRole("heading", { name: "Link already used" })).toBeVisible();
  await ctx.close();
});
