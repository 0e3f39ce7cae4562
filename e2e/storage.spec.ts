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
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hx-a-e2e-"));
fs.chmodSync(dir, 0o755);
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
  fs.rmSync(dir, { recursive: true, force: true });
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
