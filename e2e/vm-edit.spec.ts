// Editing a machine in Chromium against a real agent and libvirt: the Settings tab changes
// a stopped machine's memory, says it applies at the next boot, and the Machines table row
// shows the new size (pushed, no reload); clone and delete-with-volumes through their
// dialogs. Uses its own scratch domain and dir pool hx-e-e2e-*.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { guardSpec } from "../tests/helpers/lab-env";
import { signIn } from "./session";
import { enrollAgent } from "./agent";

const VM = `hx-e-e2e-${process.pid}`;
const COPY = `${VM}-copy`;
const POOL = `${VM}-pool`;
// Made in beforeAll: Playwright also loads this file in its main process to list tests.
let dir = "";
const virsh = (...a: string[]) => execFileSync("virsh", ["-c", "qemu:///system", ...a], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
const base = () => process.env.HANGAR_E2E_URL!;

guardSpec(test, "libvirt");
test.describe.configure({ mode: "serial" });

let cleanup: () => void = () => undefined;
let hostId = "";
let uuid = "";

test.beforeAll(async ({ browser }) => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "hx-e-e2e-"));
  fs.chmodSync(dir, 0o755);
  const f = path.join(os.tmpdir(), `${VM}.xml`);
  virsh("pool-define-as", POOL, "dir", "--target", dir);
  virsh("pool-start", POOL);
  virsh("vol-create-as", POOL, `${VM}-root.qcow2`, "4M", "--format", "qcow2");
  fs.writeFileSync(
    f,
    `<domain type='qemu'><name>${VM}</name><memory unit='MiB'>64</memory><vcpu>1</vcpu><os><type arch='x86_64'>hvm</type></os><devices><disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='${dir}/${VM}-root.qcow2'/><target dev='vda' bus='virtio'/></disk></devices></domain>`,
  );
  virsh("define", f);
  fs.rmSync(f);
  const page = await browser.newPage();
  await signIn(page);
  const a = await enrollAgent(page.request, "edit-host");
  cleanup = a.cleanup;
  hostId = a.hostId;
  await expect
    .poll(
      async () =>
        ((await (await page.request.get(`${base()}/api/machines`)).json()) as { rows: { hostId: string; name: string; uuid: string }[] }).rows.find(
          (r) => r.hostId === hostId && r.name === VM,
        )?.uuid,
      { timeout: 60_000 },
    )
    .toBeTruthy();
  uuid = ((await (await page.request.get(`${base()}/api/machines`)).json()) as { rows: { hostId: string; name: string; uuid: string }[] }).rows.find(
    (r) => r.hostId === hostId && r.name === VM,
  )!.uuid;
  await page.close();
});

test.afterAll(() => {
  cleanup();
  for (const n of [VM, COPY])
    try {
      virsh("undefine", n, "--snapshots-metadata");
    } catch {
      /* gone */
    }
  for (const c of [
    ["pool-destroy", POOL],
    ["pool-undefine", POOL],
  ])
    try {
      virsh(...c);
    } catch {
      /* gone */
    }
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test("the Settings tab changes memory; the badge says next boot and the machines row shows it", async ({ page }) => {
  await signIn(page);
  await page.goto(`${base()}/machines/${hostId}/${uuid}`);
  await page.getByRole("tab", { name: /settings/i }).click();
  const mem = page.getByLabel("Memory (MiB)");
  await expect(mem).toHaveValue("64");
  await mem.fill("48");
  await page.getByRole("button", { name: "Save memory" }).click();
  await expect(page.locator('[data-applied="next-boot"]')).toBeVisible({ timeout: 30_000 });
  expect(virsh("dumpxml", "--inactive", VM)).toContain("<memory unit='KiB'>49152</memory>");

  await page.goto(`${base()}/machines`);
  const row = page.locator(`[data-testid="machine-row"][data-name="${VM}"]`);
  await expect(row).toContainText("48 MiB", { timeout: 30_000 });
});

test("the Snapshots tab takes, reverts to and deletes a snapshot, each through its dialog", async ({ page }) => {
  await signIn(page);
  await page.goto(`${base()}/machines/${hostId}/${uuid}`);
  await page.getByRole("tab", { name: /snapshots/i }).click();
  await expect(page.getByText("No snapshots")).toBeVisible();
  await page.getByRole("button", { name: "Take snapshot…" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Name").fill("before-change");
  await dialog.getByLabel("Description").fill("e2e <check> & more");
  // A stopped machine has no memory to save: the option is not offered.
  await expect(dialog.getByText("Include memory")).toHaveCount(0);
  await dialog.getByRole("button", { name: "Take snapshot" }).click();
  const list = page.getByTestId("snapshot-row");
  await expect(list).toHaveCount(1, { timeout: 30_000 });
  await expect(list).toContainText("before-change");
  await expect(list).toContainText("current");
  await expect(list).toContainText("e2e <check> & more");
  expect(virsh("snapshot-list", VM, "--name")).toContain("before-change");

  await list.getByRole("button", { name: "Revert…" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Revert", exact: true }).click();
  await expect(page.getByText("Working…")).toHaveCount(0, { timeout: 30_000 });
  await list.getByRole("button", { name: "Delete…" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Delete snapshot" }).click();
  await expect(page.getByText("No snapshots")).toBeVisible({ timeout: 30_000 });
  expect(virsh("snapshot-list", VM, "--name").trim()).toBe("");
});

test("clone through its dialog, then delete the clone with its volume ticked in the delete dialog", async ({ page }) => {
  await signIn(page);
  await page.goto(`${base()}/machines/${hostId}/${uuid}`);
  await page.getByRole("button", { name: "Clone…" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("New machine name").fill(COPY);
  await dialog.getByRole("button", { name: "Clone", exact: true }).click();
  // The new machine's page opens once the copy is done.
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(COPY, { timeout: 60_000 });
  const copyDisk = path.join(dir, `${COPY}-root.qcow2`);
  expect(fs.existsSync(copyDisk)).toBe(true);
  expect(fs.existsSync(path.join(dir, `${VM}-root.qcow2`))).toBe(true);

  await page.getByRole("button", { name: "Delete…" }).click();
  const del = page.getByRole("dialog");
  const box = del.getByRole("checkbox", { name: new RegExp(copyDisk.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")) });
  await expect(box).toBeChecked();
  await del.getByRole("button", { name: "Delete machine and 1 volume" }).click();
  await expect(page).toHaveURL(/\/machines$/, { timeout: 30_000 });
  await expect(page.locator(`[data-testid="machine-row"][data-name="${COPY}"]`)).toHaveCount(0, { timeout: 30_000 });
  expect(fs.existsSync(copyDisk)).toBe(false);
  expect(virsh("list", "--all", "--name")).not.toContain(COPY);
  // The original and its disk are untouched.
  expect(fs.existsSync(path.join(dir, `${VM}-root.qcow2`))).toBe(true);
});

test("the Disks tab attaches an existing volume picked from the host's pools and volumes with the keyboard alone", async ({ page }) => {
  const data = `${VM}-data.raw`;
  virsh("vol-create-as", POOL, data, "2M", "--format", "raw");
  await signIn(page);
  await page.goto(`${base()}/machines/${hostId}/${uuid}`);
  await page.getByRole("tab", { name: /disks/i }).click();
  const form = page.getByRole("form", { name: "Add a disk" });
  // No free-text pool or volume: pickers listing what the host has.
  const source = form.getByLabel("Source");
  await source.focus();
  await page.keyboard.press("ArrowDown");
  await expect(source).toHaveValue("existing");
  const pool = form.getByRole("combobox", { name: "Pool" });
  await expect(pool.locator("option", { hasText: POOL })).toHaveCount(1, { timeout: 30_000 });
  await pool.focus();
  // Type-ahead, as a keyboard user picks an option of a native select.
  await page.keyboard.type(POOL);
  await expect(pool).toHaveValue(POOL);
  const volume = form.getByRole("combobox", { name: "Volume" });
  await expect(volume.locator("option", { hasText: data })).toHaveCount(1, { timeout: 30_000 });
  await page.keyboard.press("Tab");
  await expect(volume).toBeFocused();
  await page.keyboard.type(data);
  await expect(volume).toHaveValue(data);
  await page.getByRole("button", { name: "Add disk" }).focus();
  await page.keyboard.press("Enter");
  await expect(page.locator("[data-applied]")).toBeVisible({ timeout: 30_000 });
  expect(virsh("dumpxml", "--inactive", VM)).toContain(`<source file='${dir}/${data}'/>`);
  await expect(page.getByRole("cell", { name: `${dir}/${data}` })).toBeVisible({ timeout: 30_000 });
});
