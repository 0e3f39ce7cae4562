// An admin defines an isolated network from a host's Networks page (real agent, real
// libvirtd and dnsmasq), sees it active in the table, opens its (empty) leases, and
// undefines it behind the confirmation; a network defined and started with virsh shows up
// on the open page without a reload (libvirt's network events, pushed).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { expect, test } from "@playwright/test";
import { guardSpec } from "../tests/helpers/lab-env";
import { enrollAgent } from "./agent";
import { signIn } from "./session";

const NAME = `hx-c-e2e-${process.pid}`;
const OUTSIDE = `hx-prov-e2e-${process.pid}`;
const virsh = (...a: string[]) => execFileSync("virsh", ["-c", "qemu:///system", ...a], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
let cleanup: (() => void) | null = null;

guardSpec(test, "libvirt");
test.describe.configure({ mode: "serial" });

test.afterAll(() => {
  cleanup?.();
  for (const cmd of ["net-destroy", "net-undefine"]) {
    for (const n of [NAME, OUTSIDE])
      try {
        virsh(cmd, n);
      } catch {
        /* already gone */
      }
  }
});

test("define an isolated network in the UI and see it active; undefine it with confirmation", async ({ page, browser }) => {
  const base = process.env.HANGAR_E2E_URL!;
  await signIn(page);
  const enrolled = await enrollAgent(page.request, `hx-c-host-${process.pid}`);
  cleanup = enrolled.cleanup;
  await expect
    .poll(async () => ((await (await page.request.get(`${base}/api/hosts/${enrolled.hostId}`)).json()) as { host: { status: string } }).host.status, {
      timeout: 30_000,
    })
    .toBe("online");

  await page.goto(`${base}/hosts/${enrolled.hostId}/networks`);
  await expect(page.getByRole("navigation", { name: "Host sections" }).getByRole("link", { name: "Networks" })).toHaveAttribute(
    "aria-current",
    "page",
  );
  await page.getByRole("button", { name: "Define network" }).click();
  const dialog = page.getByRole("dialog", { name: "Define network" });
  await dialog.getByLabel("Name").fill(NAME);
  await dialog.getByRole("radio", { name: /Isolated/ }).check();
  // The defaults: a free 192.168.1xx.1/24 with DHCP .2-.254.
  await expect(dialog.getByLabel("Host address")).toHaveValue(/^192\.168\.1\d\d\.1$/);
  const address = await dialog.getByLabel("Host address").inputValue();
  await expect(dialog.getByLabel("DHCP end")).toHaveValue(address.replace(/\.1$/, ".254"));
  await dialog.getByRole("button", { name: "Define" }).click();
  await expect(dialog).toBeHidden();

  const row = page.locator(`[data-testid="network-row"][data-network="${NAME}"]`);
  await expect(row.getByTestId("network-state")).toHaveText("active", { timeout: 30_000 });
  await expect(row).toContainText("Isolated");
  await expect(row).toContainText(`${address}/24`);
  expect(virsh("net-info", NAME)).toMatch(/Active:\s+yes/);

  await row.getByRole("button", { name: NAME, exact: true }).click();
  await expect(page.getByText("No DHCP leases yet")).toBeVisible();

  // A viewer sees the network but none of the controls that would change it.
  const headers = { "X-Hangar-CSRF": "1", Origin: base };
  const viewer = { username: `vn${process.pid}`, password: "a long enough viewer password", role: "viewer" };
  expect((await page.request.post(`${base}/api/users`, { data: viewer, headers })).status()).toBe(201);
  const ctx = await browser.newContext();
  try {
    const vp = await ctx.newPage();
    expect((await vp.request.post(`${base}/api/auth/login`, { data: { username: viewer.username, password: viewer.password }, headers })).ok()).toBe(
      true,
    );
    await vp.goto(`${base}/hosts/${enrolled.hostId}/networks`);
    const vrow = vp.locator(`[data-testid="network-row"][data-network="${NAME}"]`);
    await expect(vrow.getByTestId("network-state")).toHaveText("active");
    // The role is known (the user menu shows who is signed in) before absence is asserted.
    await expect(vp.getByRole("button", { name: new RegExp(viewer.username) })).toBeVisible();
    await expect(vp.getByRole("button", { name: "Define network" })).toHaveCount(0);
    await expect(vrow.getByRole("button", { name: /^(Start|Stop|Undefine) / })).toHaveCount(0);
    await expect(vrow.getByRole("checkbox")).toHaveCount(0);
  } finally {
    await ctx.close();
  }

  await row.getByRole("button", { name: `Undefine ${NAME}` }).click();
  const confirm = page.getByRole("dialog", { name: `Undefine ${NAME}?` });
  await expect(confirm).toContainText("lose their link");
  await confirm.getByRole("button", { name: "Stop and undefine" }).click();
  await expect(row).toHaveCount(0, { timeout: 30_000 });
  expect(virsh("net-list", "--all", "--name")).not.toContain(NAME);
});

test("a network defined, started and removed with virsh appears, turns active and goes on the open page, no reload", async ({ page }) => {
  const base = process.env.HANGAR_E2E_URL!;
  await signIn(page);
  const enrolled = await enrollAgent(page.request, `hx-prov-host-${process.pid}`);
  const stop = cleanup;
  cleanup = () => {
    stop?.();
    enrolled.cleanup();
  };
  await expect
    .poll(async () => ((await (await page.request.get(`${base}/api/hosts/${enrolled.hostId}`)).json()) as { host: { status: string } }).host.status, {
      timeout: 30_000,
    })
    .toBe("online");
  await page.goto(`${base}/hosts/${enrolled.hostId}/networks`);
  await expect(page.getByRole("button", { name: "Define network" })).toBeVisible();
  const row = page.locator(`[data-testid="network-row"][data-network="${OUTSIDE}"]`);
  await expect(row).toHaveCount(0);
  const xml = `/tmp/${OUTSIDE}.xml`;
  fs.writeFileSync(xml, `<network><name>${OUTSIDE}</name><ip address='172.27.${10 + (process.pid % 200)}.1' prefix='24'/></network>`);
  virsh("net-define", xml);
  fs.rmSync(xml);
  // Well within a poll interval the page never had: the event does it.
  await expect(row.getByTestId("network-state")).toHaveText("inactive", { timeout: 5000 });
  virsh("net-start", OUTSIDE);
  await expect(row.getByTestId("network-state")).toHaveText("active", { timeout: 5000 });
  virsh("net-destroy", OUTSIDE);
  virsh("net-undefine", OUTSIDE);
  await expect(row).toHaveCount(0, { timeout: 5000 });
});
