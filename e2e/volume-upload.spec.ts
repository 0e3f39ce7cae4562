// Volume upload in Chromium against the real libvirtd: from the host's Storage page, upload a
// qcow2 made with qemu-img through the file input into a directory pool (made with virsh,
// named hx-i-e2e-*) and check the SHA-256 shown against the file's; then cancel an upload
// of a larger file midway (network throttled so that it is still running) and check that
// nothing is left, neither a file in the pool's directory nor a volume.
import { execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { guardSpec } from "../tests/helpers/lab-env";
import { signIn } from "./session";
import { enrollAgent } from "./agent";

const virsh = (...a: string[]) => execFileSync("virsh", ["-c", "qemu:///system", ...a], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
const POOL = `hx-i-e2e-pool-${process.pid}`;
const MiB = 1024 * 1024;
// Made in beforeAll: Playwright loads this file in more than one process.
let dir = "";
let work = "";
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
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "hx-i-e2e-"));
  fs.chmodSync(dir, 0o755);
  work = fs.mkdtempSync(path.join(os.tmpdir(), "hx-i-e2e-src-"));
  dropPool();
  virsh("pool-define-as", POOL, "dir", "--target", dir);
  virsh("pool-start", POOL);
  const page = await browser.newPage();
  await signIn(page);
  const a = await enrollAgent(page.request, "upload-host");
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
  for (const d of [dir, work]) if (d) fs.rmSync(d, { recursive: true, force: true });
});

/** The Storage page with the pool's volumes and its upload panel open. */
async function openUpload(page: Page) {
  await signIn(page);
  await page.goto(`${base()}/hosts/${hostId}/storage`);
  const poolRow = page.locator(`[data-testid="pool-row"][data-name="${POOL}"]`);
  await expect(poolRow.getByTestId("pool-state")).toHaveText("running");
  await poolRow.getByRole("button", { name: POOL }).click();
  await expect(page.getByRole("heading", { name: new RegExp(`Volumes in ${POOL}`) })).toBeVisible();
  const toggle = page.getByRole("button", { name: "Upload image" });
  await expect(toggle).toHaveAttribute("aria-expanded", "false");
  await toggle.click();
  const panel = page.getByRole("region", { name: `Upload into ${POOL}` });
  await expect(panel).toBeVisible();
  return panel;
}

const volumeNames = async (page: Page) =>
  ((await (await page.request.get(`${base()}/api/hosts/${hostId}/pools/${POOL}/volumes`)).json()) as { volumes: { name: string }[] }).volumes.map(
    (v) => v.name,
  );

test("uploads a qcow2 through the file input: progress to done, the SHA-256 shown is the file's, the volume is listed as qcow2", async ({ page }) => {
  // A few MiB of real data in a qcow2 image.
  const raw = path.join(work, "data.raw");
  fs.writeFileSync(raw, randomBytes(4 * MiB));
  const file = path.join(work, "e2e-up.qcow2");
  execFileSync("qemu-img", ["convert", "-q", "-f", "raw", "-O", "qcow2", raw, file]);
  const bytes = fs.readFileSync(file);
  expect(bytes.length).toBeGreaterThan(4 * MiB);
  const sha = createHash("sha256").update(bytes).digest("hex");

  const panel = await openUpload(page);
  await panel.getByTestId("upload-file").setInputFiles(file);
  // The file's name is the volume's by default.
  await expect(panel.getByLabel("Volume name")).toHaveValue("e2e-up.qcow2");
  await panel.getByRole("button", { name: "Upload", exact: true }).click();
  const done = panel.getByRole("status");
  await expect(done).toContainText("Uploaded e2e-up.qcow2 (qcow2", { timeout: 60_000 });
  await expect(panel.getByTestId("upload-sha256")).toHaveText(sha);

  const row = page.locator(`[data-testid="volume-row"][data-name="e2e-up.qcow2"]`);
  await expect(row).toBeVisible({ timeout: 30_000 });
  await expect(row).toContainText("qcow2");
  expect(
    createHash("sha256")
      .update(fs.readFileSync(path.join(dir, "e2e-up.qcow2")))
      .digest("hex"),
  ).toBe(sha);
  expect(fs.readdirSync(dir)).toEqual(["e2e-up.qcow2"]);
});

test("Cancel during an upload leaves no file in the pool's directory and no volume", async ({ page }) => {
  // Sparse: large without using the disk; throttled below so that it is still running when cancelled.
  const file = path.join(work, "e2e-big.raw");
  fs.writeFileSync(file, "");
  fs.truncateSync(file, 256 * MiB);
  const panel = await openUpload(page);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 4 * MiB });

  await panel.getByTestId("upload-file").setInputFiles(file);
  await panel.getByRole("button", { name: "Upload", exact: true }).click();
  // The bytes are flowing into the host's temporary file before Cancel is pressed.
  await expect(panel.getByRole("progressbar", { name: "Upload progress" })).toBeVisible();
  await expect.poll(() => fs.readdirSync(dir).some((f) => f.startsWith(".upload-") && f.endsWith("-e2e-big.raw")), { timeout: 30_000 }).toBe(true);
  await panel.getByRole("button", { name: "Cancel" }).click();
  await expect(panel.getByRole("alert")).toContainText("Upload cancelled");
  await expect(panel.getByRole("button", { name: "Cancel" })).toHaveCount(0);

  // The agent sees the data connection end short and removes its temporary file.
  await expect.poll(() => fs.readdirSync(dir).sort(), { timeout: 30_000 }).toEqual(["e2e-up.qcow2"]);
  expect(await volumeNames(page)).toEqual(["e2e-up.qcow2"]);
  await page.reload();
  await page.locator(`[data-testid="pool-row"][data-name="${POOL}"]`).getByRole("button", { name: POOL }).click();
  await expect(page.locator(`[data-testid="volume-row"][data-name="e2e-up.qcow2"]`)).toBeVisible();
  await expect(page.locator(`[data-testid="volume-row"][data-name="e2e-big.raw"]`)).toHaveCount(0);
});

test("a viewer sees no Upload button", async ({ browser, page }) => {
  await signIn(page);
  const headers = { "X-Hangar-CSRF": "1", Origin: base() };
  const username = `vu${process.pid}`;
  const password = "a long enough viewer password";
  expect((await page.request.post(`${base()}/api/users`, { data: { username, password, role: "viewer" }, headers })).status()).toBe(201);
  const ctx = await browser.newContext();
  const viewer = await ctx.newPage();
  expect((await viewer.request.post(`${base()}/api/auth/login`, { data: { username, password }, headers })).ok()).toBe(true);
  await viewer.goto(`${base()}/hosts/${hostId}/storage`);
  await viewer.locator(`[data-testid="pool-row"][data-name="${POOL}"]`).getByRole("button", { name: POOL }).click();
  await expect(viewer.locator(`[data-testid="volume-row"][data-name="e2e-up.qcow2"]`)).toBeVisible();
  await expect(viewer.getByRole("button", { name: "Upload image" })).toHaveCount(0);
  await expect(viewer.getByRole("region", { name: `Upload into ${POOL}` })).toHaveCount(0);
  await ctx.close();
});
