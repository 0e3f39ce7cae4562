// Editing a machine in Chromium against a real agent and libvirt: the Settings tab changes
// a stopped machine's memory, says it applies at the next boot, and the Machines table row
// shows the new size (pushed, no reload). Uses its own diskless scratch domain hx-e-e2e-*.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { guardSpec } from "../tests/helpers/lab-env";
import { signIn } from "./session";
import { enrollAgent } from "./agent";

const VM = `hx-e-e2e-${process.pid}`;
const virsh = (...a: string[]) => execFileSync("virsh", ["-c", "qemu:///system", ...a], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
const base = () => process.env.HANGAR_E2E_URL!;

guardSpec(test, "libvirt");
test.describe.configure({ mode: "serial" });

let cleanup: () => void = () => undefined;
let hostId = "";
let uuid = "";

test.beforeAll(async ({ browser }) => {
  const f = path.join(os.tmpdir(), `${VM}.xml`);
  fs.writeFileSync(
    f,
    `<domain type='qemu'><name>${VM}</name><memory unit='MiB'>64</memory><vcpu>1</vcpu><os><type arch='x86_64'>hvm</type></os><devices></devices></domain>`,
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
  try {
    virsh("undefine", VM);
  } catch {
    /* gone */
  }
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
