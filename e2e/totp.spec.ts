// Two-factor sign-in in Chromium: a user enrols from Settings (the test reads the secret
// text shown and computes codes as an authenticator app would), signs out, and signs in
// with password + code. Plus the API token panel: create (value shown once), use, revoke.
// Runs as its own user so the shared e2e admin keeps signing in with a password alone.
import { expect, test, type Page } from "@playwright/test";
import { signIn } from "./session";
import { freshCode, wrongCode } from "../tests/helpers/totp";

const base = () => process.env.HANGAR_E2E_URL!;
const TESSA = { username: "tessa", password: "a long enough e2e password" };

async function passwordStep(page: Page) {
  await page.goto(base() + "/login");
  await page.getByLabel("Username").fill(TESSA.username);
  await page.getByLabel("Password").fill(TESSA.password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

test.beforeAll(async ({ browser }) => {
  const page = await browser.newPage();
  await signIn(page);
  const r = await page.request.post(`${base()}/api/users`, {
    data: { ...TESSA, role: "operator" },
    headers: { "X-Hangar-CSRF": "1", Origin: base() },
  });
  expect([201, 409]).toContain(r.status());
  await page.close();
});

test("enrol TOTP in Settings, sign out, sign in with password and code", async ({ page }) => {
  await passwordStep(page);
  await expect(page.getByRole("heading", { name: "Dashboard" })).toBeVisible();
  await page.goto(base() + "/settings");
  const panel = page.getByRole("region", { name: "Two-factor sign-in" });
  await expect(panel.getByTestId("totp-status")).toContainText("Off");
  await panel.getByRole("button", { name: "Set up two-factor sign-in" }).click();
  await expect(panel.getByRole("img", { name: "QR code for your authenticator app" })).toBeVisible();
  const secret = (await panel.getByTestId("totp-secret").textContent())!.trim();
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  const last = { step: null as number | null };
  // A wrong code first: refused with a message, still off.
  await panel.getByLabel("Code from the app").fill(wrongCode(secret));
  await panel.getByRole("button", { name: "Turn on" }).click();
  await expect(panel.getByText("wrong or already used")).toBeVisible();
  await panel.getByLabel("Code from the app").fill(await freshCode(secret, last));
  await panel.getByRole("button", { name: "Turn on" }).click();
  const codes = panel.getByTestId("recovery-codes").locator("li");
  await expect(codes).toHaveCount(10);
  await panel.getByRole("button", { name: "I have saved them" }).click();
  await expect(panel.getByTestId("totp-status")).toContainText("10 recovery codes left");

  await page.getByRole("button", { name: /tessa/ }).click();
  await page.getByRole("menuitem", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);

  await passwordStep(page);
  await expect(page.getByRole("heading", { name: "Two-factor sign-in" })).toBeVisible();
  await page.getByLabel("6-digit code from your authenticator app").fill(await freshCode(secret, last));
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByRole("heading", { name: "Dashboard" })).toBeVisible();
});

test("API token panel: create with chosen permissions, value shown once, used by a script, revoked with confirm", async ({ page, browser }) => {
  await signIn(page); // the e2e admin
  await page.goto(base() + "/settings");
  const panel = page.getByRole("region", { name: "API tokens" });
  await panel.getByRole("button", { name: "New token" }).click();
  const dialog = page.getByRole("dialog", { name: "New API token" });
  await dialog.getByLabel("Name").fill("e2e-script");
  await dialog.getByLabel("Expires in").selectOption("7");
  // Admin: every permission is offered; keep vm.read and add audit.read.
  await dialog.getByLabel("audit.read").check();
  await dialog.getByRole("button", { name: "Create token" }).click();
  const value = (await page.getByTestId("token-value").textContent())!.trim();
  expect(value).toMatch(/^hgr_/);
  await page.getByRole("button", { name: "Done" }).click();
  const row = panel.locator('[data-testid="token-row"][data-token="e2e-script"]');
  await expect(row).toContainText("audit.read");
  await expect(row).toContainText("never");
  // The list never shows the value again.
  expect(await page.content()).not.toContain(value);
  const ctx = await browser.newContext();
  const asScript = async () => (await ctx.request.get(`${base()}/api/audit`, { headers: { Authorization: `Bearer ${value}` } })).status();
  expect(await asScript()).toBe(200);
  await row.getByRole("button", { name: "Revoke token e2e-script" }).click();
  await page
    .getByRole("dialog", { name: /Revoke the token/ })
    .getByRole("button", { name: "Revoke" })
    .click();
  await expect(row).toHaveCount(0);
  expect(await asScript()).toBe(401);
  await ctx.close();
});

test("required for viewers: a viewer signing in is sent to enrolment, and lands on the dashboard once enrolled", async ({ browser, page }) => {
  await signIn(page);
  const headers = { "X-Hangar-CSRF": "1", Origin: base() };
  const vera = { username: "vera", password: "a long enough e2e password" };
  expect([201, 409]).toContain((await page.request.post(`${base()}/api/users`, { data: { ...vera, role: "viewer" }, headers })).status());
  expect((await page.request.put(`${base()}/api/auth/totp/policy`, { data: { requireAll: false, roles: ["viewer"] }, headers })).status()).toBe(200);
  const ctx = await browser.newContext();
  try {
    const v = await ctx.newPage();
    await v.goto(base() + "/login");
    await v.getByLabel("Username").fill(vera.username);
    await v.getByLabel("Password").fill(vera.password);
    await v.getByRole("button", { name: "Sign in" }).click();
    await expect(v).toHaveURL(/\/enrol-totp$/);
    await expect(v.getByRole("heading", { name: "Set up two-factor sign-in" })).toBeVisible();
    // Nothing else opens meanwhile: another page sends it back here.
    await v.goto(base() + "/machines");
    await expect(v).toHaveURL(/\/enrol-totp$/);
    await v.getByRole("button", { name: "Set up two-factor sign-in" }).click();
    const secret = (await v.getByTestId("totp-secret").textContent())!.trim();
    await v.getByLabel("Code from the app").fill(await freshCode(secret, { step: null }));
    await v.getByRole("button", { name: "Turn on" }).click();
    await expect(v.getByTestId("recovery-codes").locator("li")).toHaveCount(10);
    await v.getByRole("button", { name: "I have saved them" }).click();
    await expect(v.getByRole("heading", { name: "Dashboard" })).toBeVisible();
  } finally {
    await ctx.close();
    await page.request.put(`${base()}/api/auth/totp/policy`, { data: { requireAll: false, roles: [] }, headers });
  }
});
