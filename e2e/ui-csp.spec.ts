// Content Security Policy: scripts run only from this origin or with the response's own
// nonce, never inline without it ('unsafe-inline'), and the pages still work in Chromium
// with no violation reported. (Runs after foundation.spec.ts: it needs the admin.)
import { expect, test, type APIResponse } from "@playwright/test";
import { E2E_ADMIN, signIn } from "./session";

const base = () => process.env.HANGAR_E2E_URL!;

function scriptSrc(res: APIResponse): string[] {
  const csp = res.headers()["content-security-policy"] ?? "";
  const directive = csp
    .split(";")
    .map((d) => d.trim())
    .find((d) => d.startsWith("script-src "));
  expect(directive, `script-src in ${csp}`).toBeTruthy();
  return directive!.split(/\s+/).slice(1);
}

test("every page's script-src has a fresh nonce, which all its scripts carry, and no 'unsafe-inline'", async ({ page }) => {
  await signIn(page);
  const nonces = new Set<string>();
  for (const path of ["/", "/machines", "/settings", "/hosts", "/no-such-page"]) {
    for (let i = 0; i < 2; i++) {
      const res = await page.request.get(base() + path);
      const src = scriptSrc(res);
      expect(src, `script-src of ${path}`).not.toContain("'unsafe-inline'");
      const nonce = src.find((s) => s.startsWith("'nonce-"))?.slice(7, -1);
      expect(nonce, `a nonce in script-src of ${path}: ${src.join(" ")}`).toBeTruthy();
      nonces.add(nonce!);
      // Next must have put that nonce on each of its script tags, inline or not.
      const tags = (await res.text()).match(/<script\b[^>]*>/g) ?? [];
      expect(tags.length, `script tags of ${path}`).toBeGreaterThan(0);
      for (const tag of tags) expect(tag, `a script tag of ${path}`).toContain(`nonce="${nonce}"`);
    }
  }
  expect(nonces.size, "a new nonce per response").toBe(10);
  // Signed out too: the sign-in page is the first one anybody loads.
  const anonymous = await page.request.get(base() + "/login", { headers: { Cookie: "" } });
  expect(scriptSrc(anonymous)).not.toContain("'unsafe-inline'");
});

test("sign-in, the shell, the machines table and settings work in Chromium with no CSP violation", async ({ browser }) => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const violations: string[] = [];
  await page.exposeFunction("__cspViolation", (v: string) => violations.push(v));
  await page.addInitScript(() => {
    document.addEventListener(
      "securitypolicyviolation",
      (e) =>
        void (window as unknown as { __cspViolation: (v: string) => void }).__cspViolation(
          `${e.violatedDirective} blocked ${e.blockedURI || "inline"} on ${location.pathname}`,
        ),
    );
  });
  page.on("console", (m) => {
    if (m.type() === "error" && /Content Security Policy/i.test(m.text())) violations.push(`console: ${m.text()}`);
  });

  await page.goto(base() + "/login?next=%2Fmachines");
  await page.getByLabel("Username").fill(E2E_ADMIN.username);
  await page.getByLabel("Password").fill(E2E_ADMIN.password);
  await page.keyboard.press("Enter");
  // Only the page's own scripts get here: the sign-in ran in JavaScript, then the table
  // and the event socket.
  await expect(page).toHaveURL(/\/machines$/);
  await expect(page.getByRole("heading", { name: "Machines", exact: true })).toBeVisible();
  await expect(page.getByTestId("live-status")).toHaveAttribute("data-state", "live");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings" }).click();
  await expect(page.getByRole("heading", { name: "Your sessions" })).toBeVisible();
  // A full load of a page too (not only client-side navigation).
  await page.reload();
  await expect(page.getByTestId("session-row").first()).toBeVisible();
  await page.goto(base() + "/");
  await expect(page.getByRole("heading", { name: "Dashboard" })).toBeVisible();
  await expect(page.getByTestId("live-status")).toHaveAttribute("data-state", "live");
  expect(violations).toEqual([]);
  await ctx.close();
});
