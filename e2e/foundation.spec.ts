import { expect, test } from "@playwright/test";

const URL = () => process.env.HANGAR_E2E_URL!;
const TOKEN = () => process.env.HANGAR_E2E_SETUP_TOKEN!;
import { E2E_ADMIN } from "./session";

const PASSWORD = E2E_ADMIN.password;

test.describe.configure({ mode: "serial" });

test("first run: no token or a wrong one gets no setup form", async ({ page }) => {
  await page.goto(URL() + "/");
  await expect(page).toHaveURL(/\/setup$/);
  await expect(page.getByRole("heading", { name: "Setup link needed" })).toBeVisible();
  await page.goto(URL() + "/setup?token=wrong-token");
  await expect(page.getByRole("heading", { name: "Setup link needed" })).toBeVisible();
});

test("setup token → first admin → shell → sign out → sign in", async ({ page }) => {
  await page.goto(`${URL()}/setup?token=${TOKEN()}`);
  await page.getByLabel("Username").fill("admin");
  await page.getByLabel("Password (12 characters or more)").fill("short");
  await page.getByLabel("Repeat password").fill("short");
  await page.getByRole("button", { name: "Create admin" }).click();
  await expect(page.getByText("at least 12 characters")).toBeVisible();

  await page.getByLabel("Password (12 characters or more)").fill(PASSWORD);
  await page.getByLabel("Repeat password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create admin" }).click();
  await expect(page.getByRole("heading", { name: "Dashboard" })).toBeVisible();
  const nav = page.getByRole("navigation", { name: "Main" });
  for (const item of ["Dashboard", "Hosts", "Machines", "Containers", "Tasks", "Settings"])
    await expect(nav.getByRole("link", { name: item })).toBeVisible();

  // The one-time link is dead now.
  await page.goto(`${URL()}/setup?token=${TOKEN()}`);
  await expect(page).toHaveURL(/\/(login)?$/);

  await page.goto(URL() + "/");
  await page.getByRole("button", { name: /admin/ }).click();
  await page.getByRole("menuitem", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto(URL() + "/machines");
  await expect(page).toHaveURL(/\/login/);

  await page.getByLabel("Username").fill("admin");
  await page.getByLabel("Password").fill("wrong password here");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Wrong username or password" })).toBeVisible();

  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  // Signing in lands where the visit was going (/login?next=%2Fmachines).
  await expect(page).toHaveURL(/\/machines$/);
  await expect(page.getByRole("heading", { name: "Machines", exact: true })).toBeVisible();
});

test("keyboard reaches the navigation, and Settings lists this session", async ({ page }) => {
  await page.goto(URL() + "/login");
  await page.getByLabel("Username").fill("admin");
  await page.getByLabel("Password").fill(PASSWORD);
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { name: "Dashboard" })).toBeVisible();
  const settings = page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings" });
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press("Tab");
    if (await settings.evaluate((el) => el === document.activeElement)) break;
  }
  await expect(settings).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { name: "Your sessions" })).toBeVisible();
  await expect(page.getByTestId("session-row").filter({ hasText: "this browser" })).toHaveCount(1);
});

test("an admin adds a teammate as viewer, promotes and removes them in Settings", async ({ page, browser }) => {
  await page.goto(URL() + "/login");
  await page.getByLabel("Username").fill("admin");
  await page.getByLabel("Password").fill(PASSWORD);
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { name: "Dashboard" })).toBeVisible();
  await page.goto(URL() + "/settings");
  const add = page.getByRole("form", { name: "Add user" });
  await add.getByLabel("Username").fill("vera");
  await add.getByLabel("Password (12+ characters)").fill("short");
  await add.getByRole("button", { name: "Add user" }).click();
  await expect(add.getByText(/at least 12 characters/)).toBeVisible();
  await add.getByLabel("Password (12+ characters)").fill("vera's long password");
  await add.getByRole("button", { name: "Add user" }).click();
  const row = page.locator('[data-testid="user-row"][data-user="vera"]');
  await expect(row.getByLabel("Role of vera")).toHaveValue("viewer");

  // Vera signs in elsewhere: she reads, and the API refuses her changes.
  const other = await browser.newContext();
  const vera = await other.newPage();
  const headers = { "X-Hangar-CSRF": "1", Origin: URL() };
  expect(
    (await vera.request.post(URL() + "/api/auth/login", { data: { username: "vera", password: "vera's long password" }, headers })).status(),
  ).toBe(200);
  expect((await vera.request.get(URL() + "/api/machines")).status()).toBe(200);
  expect((await vera.request.post(URL() + "/api/hosts", { data: { name: "x" }, headers })).status()).toBe(403);

  await row.getByLabel("Role of vera").selectOption("operator");
  await expect(row.getByLabel("Role of vera")).toHaveValue("operator");
  await row.getByRole("button", { name: "Remove" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Remove user" }).click();
  await expect(row).toHaveCount(0);
  expect((await vera.request.get(URL() + "/api/machines")).status()).toBe(401);
  await other.close();
});
