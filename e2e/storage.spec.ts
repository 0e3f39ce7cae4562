// Storage in Chromium against the real libvirtd: in a directory pool (made with virsh,
// named hx-a-e2e-*), create a volume from the host's Storage page, see it in the table and
// on disk, then delete it through the confirmation.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { guardSpec } from "../tests/helpers/lab-env";
import { signIn } from "./session";
import { enrollAgent } from "./agent";

const virsh = (...a: string[]) => execFileSync("virsh", ["-c", "qemu:///system", ...a], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
const POOL = `hx-a-e2e-pool-${process.pid}`;
const VOL = "e2e-disk.qcow2";
// Made in beforeAll: Playwright loads this file in more than one process.
let dir = "";
const dropPool = () => {
  for (const cmd of ["pool-destroy", "pool-undefine"])
    try {
      virsh(cmd, POOL);
    } catch {
      /* not there */
    }
};

guardSpec(test, "libvirt");
test.describe.configure({ mode: "serial" });

let cleanup: () => void = () => undefined;
let hostId = "";
const base = () => process.env.HANGAR_E2E_URL!;

test.beforeAll(async ({ browser }) => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "hx-a-e2e-"));
  fs.chmodSync(dir, 0o755);
  dropPool();
  virsh("pool-define-as", POOL, "dir", "--target", dir);
  virsh("pool-start", POOL);
  const page = await browser.newPage();
  await signIn(page);
  const a = await enrollAgent(page.request, "storage-host");
  cleanup = a.cleanup;
  hostId = a.hostId;
  await expect
    .poll(
      async () =>
        ((await (await page.request.get(`${base()}/api/hosts`)).json()) as { hosts: { id: string; status: string }[] }).hosts.some(
          (h) => h.id === a.hostId && h.status === "online",
        ),
      { timeout: 30_000 },
    )
    .toBe(true);
  await page.close();
});

test.afterAll(() => {
  cleanup();
  dropPool();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test("creates a volume from the storage page and deletes it after confirming", async ({ page }) => {
  await signIn(page);
  await page.goto(`${base()}/hosts/${hostId}/storage`);
  await expect(page.getByRole("navigation", { name: "Host sections" }).getByRole("link", { name: "Storage" })).toHaveAttribute(
    "aria-current",
    "page",
  );
  const poolRow = page.locator(`[data-testid="pool-row"][data-name="${POOL}"]`);
  await expect(poolRow.getByTestId("pool-state")).toHaveText("running");
  await poolRow.getByRole("button", { name: POOL }).click();
  await expect(page.getByRole("heading", { name: new RegExp(`Volumes in ${POOL}`) })).toBeVisible();
  await expect(page.getByText("No volumes in this pool")).toBeVisible();

  await page.getByRole("button", { name: "New volume" }).click();
  const dialog = page.getByRole("dialog", { name: `New volume in ${POOL}` });
  await expect(dialog.getByTestId("pool-free")).toContainText("Free in");
  await dialog.getByLabel("Name").fill(VOL);
  await dialog.getByLabel("Size").fill("16");
  await dialog.getByLabel("Unit").selectOption("MiB");
  await dialog.getByRole("button", { name: "Create" }).click();

  const row = page.locator(`[data-testid="volume-row"][data-name="${VOL}"]`);
  await expect(row).toBeVisible({ timeout: 30_000 });
  await expect(row).toContainText("qcow2");
  await expect(row).toContainText("16 MiB");
  const info = JSON.parse(execFileSync("qemu-img", ["info", "-U", "--output=json", path.join(dir, VOL)], { encoding: "utf8" })) as {
    format: string;
    "virtual-size": number;
  };
  expect(info).toMatchObject({ format: "qcow2", "virtual-size": 16 * 1024 * 1024 });

  await row.getByRole("button", { name: `Delete ${VOL}` }).click();
  const confirm = page.getByRole("dialog", { name: `Delete ${VOL}?` });
  await expect(confirm).toContainText("No machine uses it");
  await confirm.getByRole("button", { name: "Delete" }).click();
  await expect(row).toHaveCount(0, { timeout: 30_000 });
  expect(fs.existsSync(path.join(dir, VOL))).toBe(false);
});

test("the delete confirmation names the machine using the volume; cancel keeps it", async ({ page }) => {
  await signIn(page);
  const headers = { "X-Hangar-CSRF": "1", Origin: base() };
  const made = await page.request.post(`${base()}/api/hosts/${hostId}/pools/${POOL}/volumes`, {
    data: { name: "used.raw", format: "raw", capacity: 1024 * 1024 },
    headers,
  });
  expect(made.status()).toBe(200);
  const dom = `hx-a-e2e-dom-${process.pid}`;
  const xml = path.join(dir, "dom.xml");
  fs.writeFileSync(
    xml,
    `<domain type='qemu'><name>${dom}</name><memory unit='MiB'>32</memory><vcpu>1</vcpu><os><type arch='x86_64'>hvm</type></os><devices><disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='${path.join(dir, "used.raw")}'/><target dev='vda' bus='virtio'/></disk></devices></domain>`,
  );
  virsh("define", xml);
  try {
    await page.goto(`${base()}/hosts/${hostId}/storage`);
    await page.locator(`[data-testid="pool-row"][data-name="${POOL}"]`).getByRole("button", { name: POOL }).click();
    const row = page.locator(`[data-testid="volume-row"][data-name="used.raw"]`);
    await expect(row.getByRole("link", { name: dom })).toBeVisible();
    await row.getByRole("button", { name: "Delete used.raw" }).click();
    const confirm = page.getByRole("dialog", { name: "Delete used.raw?" });
    await expect(confirm.getByTestId("delete-used-by")).toContainText(`Used by: ${dom}`);
    // Deleting a disk in use takes an explicit "anyway".
    await expect(confirm.getByRole("button", { name: "Delete" })).toBeDisabled();
    await confirm.getByLabel(/Delete anyway/).check();
    await expect(confirm.getByRole("button", { name: "Delete" })).toBeEnabled();
    await confirm.getByRole("button", { name: "Cancel" }).click();
    await expect(confirm).toBeHidden();
    await expect(row).toBeVisible();
    expect(fs.existsSync(path.join(dir, "used.raw"))).toBe(true);
  } finally {
    virsh("undefine", dom);
  }
});

test("a viewer sees pools and volumes but no change buttons", async ({ browser, page }) => {
  await signIn(page);
  const headers = { "X-Hangar-CSRF": "1", Origin: base() };
  const username = `vi${process.pid}`;
  const password = "a long enough viewer password";
  expect((await page.request.post(`${base()}/api/users`, { data: { username, password, role: "viewer" }, headers })).status()).toBe(201);
  const ctx = await browser.newContext();
  const viewer = await ctx.newPage();
  expect((await viewer.request.post(`${base()}/api/auth/login`, { data: { username, password }, headers })).ok()).toBe(true);
  await viewer.goto(`${base()}/hosts/${hostId}/storage`);
  const poolRow = viewer.locator(`[data-testid="pool-row"][data-name="${POOL}"]`);
  await expect(poolRow.getByTestId("pool-state")).toHaveText("running");
  await poolRow.getByRole("button", { name: POOL }).click();
  await expect(viewer.locator(`[data-testid="volume-row"][data-name="used.raw"]`)).toBeVisible();
  for (const name of ["Define pool", "New volume", "Stop", "Refresh", "Remove", "Delete used.raw", "Grow", "Clone"])
    await expect(viewer.getByRole("button", { name, exact: true })).toHaveCount(0);
  await expect(viewer.getByRole("switch")).toHaveCount(0);
  await ctx.close();
});
