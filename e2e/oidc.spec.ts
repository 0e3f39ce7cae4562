// OIDC sign-in in Chromium against a real provider (oidc-provider): click "Sign in with …",
// log in on the provider's own page, land signed in. Its groups claim maps to a group the
// test makes viewer: that user sees the machine but none of its power buttons (an admin,
// on the same page, does). A forged callback lands on the sign-in page with its reason.
// Its own server (with the OIDC settings and the embedded agent), not the shared e2e one,
// so the other specs' sign-in page stays as it is.
import path from "node:path";
import crypto from "node:crypto";
import Database from "better-sqlite3";
import { expect, test } from "@playwright/test";
import { guardSpec } from "../tests/helpers/lab-env";
import { ADMIN, startWithAdmin, type TestServer } from "../tests/helpers/server";
import { planProvider, startOidcProvider, type TestProvider } from "../tests/helpers/oidc-provider";
import { defineScratch, undefineScratch } from "../tests/helpers/scratch-domains";

const VM = "hx-oidc-e2e-1";
let srv: TestServer;
let idp: TestProvider;

guardSpec(test, "libvirt");
test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  undefineScratch(VM);
  defineScratch(VM);
  const plan = await planProvider();
  ({ srv } = await startWithAdmin({ ...plan.env("view=view-team"), HANGAR_LOCAL_AGENT: "1" }));
  idp = await startOidcProvider(plan, `${srv.url}/api/auth/oidc/callback`, { vicky: { preferredUsername: "vicky", groups: ["view"] } });
  // view-team (made at start from the map) is viewer fleet-wide; written in the database
  // (the groups API is another change) and read by the server at its restart.
  const db = new Database(path.join(srv.dir, "hangar.db"));
  db.prepare(
    "INSERT INTO RoleAssignment (id, groupId, subjectKey, role, scopeType, scopeId, createdBy, createdAt) SELECT ?, id, 'group:' || id, 'viewer', 'global', '', 'e2e', ? FROM \"Group\" WHERE name = 'view-team'",
  ).run(crypto.randomUUID(), Date.now());
  db.close();
  await srv.stop("SIGTERM", true);
  srv = await srv.restart();
});

test.afterAll(async () => {
  await srv?.stop();
  await idp?.close();
  undefineScratch(VM);
});

test("sign in through the provider's page; a viewer-mapped user sees no power buttons", async ({ page, browser }) => {
  await page.goto(srv.url + "/login");
  await page.getByRole("link", { name: "Sign in with Test IdP" }).click();
  // The provider's own login page (another origin).
  await expect(page).toHaveURL(new RegExp(`^http://127\\.0\\.0\\.1:(?!${srv.port}/)`));
  await page.locator('input[name="login"]').fill("vicky");
  await page.locator('input[name="password"]').fill("whatever the provider accepts");
  await page.getByRole("button", { name: "Sign-in" }).click();
  await expect(page.getByRole("heading", { name: "Dashboard" })).toBeVisible({ timeout: 20_000 });
  expect(new URL(page.url()).origin).toBe(srv.url);
  const me = await page.request.get(srv.url + "/api/auth/me");
  expect((await me.json()).user).toMatchObject({ username: "vicky", role: "none" });

  await page.goto(srv.url + "/machines");
  const row = page.locator(`[data-testid="machine-row"][data-name="${VM}"]`);
  await expect(row.getByTestId("state-badge")).toHaveAttribute("data-state", "shutoff", { timeout: 30_000 });

  // The same row for an admin has the button the viewer must not get.
  const other = await browser.newContext();
  const adminPage = await other.newPage();
  const headers = { "X-Hangar-CSRF": "1", Origin: srv.url };
  expect((await adminPage.request.post(srv.url + "/api/auth/login", { data: ADMIN, headers })).status()).toBe(200);
  await adminPage.goto(srv.url + "/machines");
  await expect(adminPage.locator(`[data-testid="machine-row"][data-name="${VM}"]`).getByRole("button", { name: `Start ${VM}` })).toBeVisible({
    timeout: 30_000,
  });
  await other.close();

  // No power action of any kind on the viewer's row (its state shows them only when allowed).
  await expect(row.getByRole("button", { name: new RegExp(`^(Start|Shut down|Reboot|Pause|Resume|Reset|Force off) ${VM}$`) })).toHaveCount(0);
});

test("a callback this browser did not start lands on the sign-in page with the reason", async ({ page }) => {
  await page.goto(srv.url + "/api/auth/oidc/callback?code=stolen&state=forged");
  await expect(page).toHaveURL(/\/login\?oidc_error=state$/);
  await expect(page.getByRole("alert").filter({ hasText: "Single sign-on failed" })).toContainText(
    "does not belong to a sign-in started in this browser",
  );
});
