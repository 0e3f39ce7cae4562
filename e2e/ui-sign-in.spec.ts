// Signing in lands where the user was going, in the same document (no second page load),
// and never on another origin. (Runs after foundation.spec.ts: it needs the admin.)
import { expect, test, type Page } from "@playwright/test";
import { E2E_ADMIN, signIn } from "./session";

const base = () => process.env.HANGAR_E2E_URL!;

async function submit(page: Page) {
  await page.getByLabel("Username").fill(E2E_ADMIN.username);
  await page.getByLabel("Password").fill(E2E_ADMIN.password);
  await page.keyboard.press("Enter");
}

test("a signed-out visit to /machines signs in straight to /machines, without loading a second document", async ({ browser, page }) => {
  await signIn(page); // the admin exists
  const ctx = await browser.newContext();
  const fresh = await ctx.newPage();
  await fresh.goto(base() + "/machines");
  await expect(fresh).toHaveURL(/\/login\?next=%2Fmachines$/);
  // A mark on this document: a full page load would lose it.
  await fresh.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
  await submit(fresh);
  await expect(fresh).toHaveURL(/\/machines$/);
  await expect(fresh.getByRole("heading", { name: "Machines", exact: true })).toBeVisible();
  expect(await fresh.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
  await ctx.close();
});

test("?next= pointing at another origin lands on the dashboard", async ({ browser }) => {
  for (const next of ["https://evil.example/x", "//evil.example/x", "/\\evil.example/x"]) {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await page.goto(`${base()}/login?next=${encodeURIComponent(next)}`);
    await submit(page);
    await expect(page.getByRole("heading", { name: "Dashboard" })).toBeVisible();
    expect(new URL(page.url()).origin, `after next=${next}`).toBe(new URL(base()).origin);
    await ctx.close();
  }
});
