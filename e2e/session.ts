// Signs the browser in as the e2e admin, creating it through the setup API when this is the
// first spec to run against the fresh server.
import type { Page } from "@playwright/test";

export const E2E_ADMIN = { username: "admin", password: "a long enough e2e password" };

export async function signIn(page: Page): Promise<void> {
  const base = process.env.HANGAR_E2E_URL!;
  const headers = { "X-Hangar-CSRF": "1", Origin: base };
  const setup = await page.request.post(`${base}/api/setup`, { data: { token: process.env.HANGAR_E2E_SETUP_TOKEN, ...E2E_ADMIN }, headers });
  if (setup.status() !== 201) {
    const login = await page.request.post(`${base}/api/auth/login`, { data: E2E_ADMIN, headers });
    if (!login.ok()) throw new Error(`e2e sign-in failed: ${login.status()} ${await login.text()}`);
  }
}
