// The command palette in Chromium (issue 16 point 3): Ctrl+K, part of a VM's name, Enter
// opens its page; an action the role cannot do is not offered (a viewer is offered no
// "Start"), while an admin is, and running it starts the real machine.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { guardSpec } from "../tests/helpers/lab-env";
import { signIn } from "./session";
import { enrollAgent, removeHost } from "./agent";

const VM = `hx-palette-e2e-${process.pid}`;
const virsh = (...a: string[]) => execFileSync("virsh", ["-c", "qemu:///system", ...a], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
const base = () => process.env.HANGAR_E2E_URL!;
const headers = () => ({ "X-Hangar-CSRF": "1", Origin: base() });

guardSpec(test, "libvirt");
test.describe.configure({ mode: "serial" });

let cleanup: () => void = () => undefined;
let uuid = "";
let hostId = "";

test.beforeAll(async ({ browser }) => {
  const f = path.join(os.tmpdir(), `${VM}.xml`);
  // Diskless and direct-kernel-free: it "runs" as an empty QEMU (no guest to boot), enough for start.
  fs.writeFileSync(
    f,
    `<domain type='qemu'><name>${VM}</name><memory unit='MiB'>32</memory><vcpu>1</vcpu><os><type arch='x86_64'>hvm</type></os><devices></devices></domain>`,
  );
  virsh("define", f);
  fs.rmSync(f);
  const page = await browser.newPage();
  await signIn(page);
  const a = await enrollAgent(page.request, "palette-host");
  cleanup = a.cleanup;
  hostId = a.hostId;
  await expect
    .poll(
      async () => {
        const rows = ((await (await page.request.get(`${base()}/api/machines`)).json()) as { rows: { hostId: string; name: string; uuid: string }[] })
          .rows;
        uuid = rows.find((m) => m.hostId === a.hostId && m.name === VM)?.uuid ?? "";
        return uuid;
      },
      { timeout: 30_000 },
    )
    .not.toBe("");
  const u = await page.request.post(`${base()}/api/users`, {
    data: { username: "palette-viewer", password: "a long enough password", role: "viewer" },
    headers: headers(),
  });
  expect(u.status()).toBe(201);
  await page.close();
});

test.afterAll(async ({ browser }) => {
  cleanup();
  await removeHost(browser, hostId);
  try {
    virsh("destroy", VM);
  } catch {
    /* not running */
  }
  virsh("undefine", VM);
});

test("Ctrl+K, part of a name, Enter opens the VM", async ({ page }) => {
  await signIn(page);
  await page.goto(`${base()}/`);
  await expect(page.getByTestId("live-status")).toHaveAttribute("data-state", "live");
  await page.keyboard.press("Control+K");
  const box = page.getByRole("combobox");
  await expect(box).toBeFocused();
  await box.fill(`palette-e2e-${process.pid}`);
  await expect(page.getByRole("option").first()).toContainText(VM);
  // The second line is worded by the browser from the hit's parts: host, then the state label.
  await expect(page.getByRole("option").first()).toContainText(/ · (Shut off|Running)$/);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`/machines/[^/]+/${uuid}$`));
  await expect(page.getByRole("dialog", { name: "Command palette" })).toBeHidden();
});

test("a viewer is not offered Start; an admin is, and it starts the machine", async ({ page, browser }) => {
  const viewer = await browser.newPage();
  const login = await viewer.request.post(`${base()}/api/auth/login`, {
    data: { username: "palette-viewer", password: "a long enough password" },
    headers: headers(),
  });
  expect(login.status()).toBe(200);
  await viewer.goto(`${base()}/`);
  // The shortcut is listened for once the page is live (hydrated and connected).
  await expect(viewer.getByTestId("live-status")).toHaveAttribute("data-state", "live");
  const dash = (await (await viewer.request.get(`${base()}/api/dashboard`)).json()) as { hosts: { online: number } };
  expect(dash.hosts.online).toBeGreaterThan(0);
  await viewer.keyboard.press("Control+K");
  await viewer.getByRole("combobox").fill(`start ${VM}`);
  await expect(viewer.getByText(`Nothing you may start matches “${VM}”`)).toBeVisible();
  await expect(viewer.getByRole("option")).toHaveCount(0);
  // Without the verb the viewer still finds it, to open.
  await viewer.getByRole("combobox").fill(VM);
  await expect(viewer.getByRole("option").first()).toContainText(VM);
  await expect(viewer.getByRole("option", { name: new RegExp(`^VM\\s*Start ${VM}`) })).toHaveCount(0);
  await viewer.close();

  await signIn(page);
  await page.goto(`${base()}/`);
  await expect(page.getByTestId("live-status")).toHaveAttribute("data-state", "live");
  await page.keyboard.press("Control+K");
  await page.getByRole("combobox").fill(`start ${VM}`);
  await expect(page.getByRole("option").first()).toContainText(`Start ${VM}`);
  await page.keyboard.press("Enter");
  await expect.poll(() => virsh("domstate", VM).trim(), { timeout: 30_000 }).toBe("running");
});
