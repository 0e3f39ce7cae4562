// The Spanish UI (issue 16 point 4): a user signs in, chooses Español in Settings, and on
// every main page (with a real host, its real libvirt VMs and Podman containers listed) every
// visible text is a message of the Spanish catalogue or data (names, numbers, dates): no
// English left, nothing written outside the catalogues. Runs as its own user, so that the
// other specs' admin stays in English.
import { expect, test, type Page } from "@playwright/test";
import { guardSpec } from "../tests/helpers/lab-env";
import { enrollAgent, removeHost } from "./agent";
import { CatalogueText, dataStrings, type FleetData } from "./catalogue-text";
import { signIn } from "./session";

guardSpec(test, "libvirt");
test.describe.configure({ mode: "serial" });

const base = () => process.env.HANGAR_E2E_URL!;
const headers = () => ({ "X-Hangar-CSRF": "1", Origin: base() });
const USER = { username: "e2e-es", password: "una contraseña bastante larga" };
let hostId = "";
let cleanup = () => {};

test.beforeAll(async ({ browser }) => {
  const page = await browser.newPage();
  await signIn(page);
  const u = await page.request.post(`${base()}/api/users`, { data: { ...USER, role: "admin" }, headers: headers() });
  expect(u.status()).toBe(201);
  const a = await enrollAgent(page.request, "es-host");
  ({ hostId, cleanup } = a);
  await expect
    .poll(async () => ((await (await page.request.get(`${base()}/api/machines?host=${hostId}`)).json()) as { rows: unknown[] }).rows.length, {
      timeout: 30_000,
    })
    .toBeGreaterThan(0);
  await page.close();
});

test.afterAll(async ({ browser }) => {
  cleanup();
  await removeHost(browser, hostId);
});

/** Visible text nodes and placeholders of the page, once nothing says it is loading. */
async function visibleTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || el.closest("script,style,noscript,template") || !el.checkVisibility({ visibilityProperty: true })) continue;
      if (n.textContent?.trim()) out.push(n.textContent.trim());
    }
    for (const el of document.querySelectorAll<HTMLInputElement>("input[placeholder],textarea[placeholder]"))
      if (el.checkVisibility()) out.push(el.placeholder);
    return out;
  });
}

/** What the API says about this fleet: names and values a page may show as they are. */
async function fleetData(page: Page): Promise<FleetData> {
  const paths = [
    "/api/hosts",
    "/api/machines",
    "/api/containers",
    "/api/tasks",
    "/api/users",
    "/api/auth/me",
    "/api/tags",
    "/api/audit",
    "/api/groups",
    "/api/assignments",
    "/api/tokens",
    "/api/sessions",
    "/api/invitations",
  ];
  const get = (p: string) => page.request.get(base() + p).then((r) => (r.ok() ? (r.json() as Promise<unknown>) : null));
  const host = `/api/hosts/${hostId}`;
  const pools = ((await get(`${host}/pools`)) as { pools?: { name: string }[] } | null)?.pools ?? [];
  const answers = await Promise.all([
    ...[...paths, `${host}/pools`, `${host}/networks`, `${host}/images`].map(get),
    ...pools.map((p) => get(`${host}/pools/${encodeURIComponent(p.name)}/volumes`)),
  ]);
  // Custom roles are names an admin gave; the built-in ones ("viewer"…) the UI translates.
  const roles = ((await get("/api/roles")) as { roles?: { builtIn: boolean }[] } | null)?.roles ?? [];
  return dataStrings([...answers, roles.filter((r) => !r.builtIn)]);
}

test("signed in, Español chosen: every main page speaks only the Spanish catalogue", async ({ page }) => {
  await page.goto(base() + "/login");
  await page.getByLabel("Username").fill(USER.username);
  await page.getByLabel("Password").fill(USER.password);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(base() + "/");
  await page.goto(base() + "/settings");
  await page.getByRole("combobox", { name: "Language", exact: true }).selectOption("es");
  await expect(page.getByRole("heading", { name: "Idioma" })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "es");

  const machine = ((await (await page.request.get(`${base()}/api/machines?host=${hostId}`)).json()) as { rows: { uuid: string }[] }).rows[0]!;
  const pages = [
    "/",
    "/hosts",
    `/hosts/${hostId}`,
    `/hosts/${hostId}/storage`,
    `/hosts/${hostId}/networks`,
    "/machines",
    `/machines/${hostId}/${machine.uuid}`,
    "/machines/new",
    "/machines/import",
    "/containers",
    "/tasks",
    "/alerts",
    "/backups",
    "/audit",
    "/settings",
  ];
  const es = new CatalogueText("es");
  const data = await fleetData(page);
  const foreign: Record<string, string[]> = {};
  for (const p of pages) {
    await page.goto(base() + p);
    await expect(page.locator("html")).toHaveAttribute("lang", "es");
    await expect(page.getByRole("main")).toBeVisible();
    // Lists fill from the API: wait until nothing on the page says it is loading.
    await expect(page.getByText("Cargando…")).toHaveCount(0, { timeout: 15_000 });
    await page.waitForLoadState("networkidle");
    const left = es.foreign(await visibleTexts(page), data);
    if (left.length) foreign[p] = [...new Set(left)];
  }
  expect(foreign, "texts outside the Spanish catalogue, per page").toEqual({});
});
