// The create-VM wizard in Chromium against the real libvirtd: an admin opens "New VM" from
// the machines list, picks direct kernel boot of the lab's test guest, creates and starts
// it, and lands on its serial console, which shows the guest booting.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { guardSpec } from "../tests/helpers/lab-env";
import { signIn } from "./session";
import { enrollAgent } from "./agent";

const LAB = process.env.HANGAR_LAB_DIR ?? "/var/lib/hangar-lab";
const VM = `hx-d-e2e-${process.pid}`;
const HOST = "create-vm-host";
const virsh = (...a: string[]) => execFileSync("virsh", ["-c", "qemu:///system", ...a], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

guardSpec(test, "libvirt");
test.describe.configure({ mode: "serial" });

let cleanup: () => void = () => undefined;

test.beforeAll(async ({ request }) => {
  const base = process.env.HANGAR_E2E_URL!;
  const headers = { "X-Hangar-CSRF": "1", Origin: base };
  const login = await request.post(`${base}/api/auth/login`, { data: { username: "admin", password: "a long enough e2e password" }, headers });
  if (!login.ok())
    await request.post(`${base}/api/setup`, {
      data: { token: process.env.HANGAR_E2E_SETUP_TOKEN, username: "admin", password: "a long enough e2e password" },
      headers,
    });
  // The agent offers kernels from these directories only; the lab's probe says whether KVM boots here.
  process.env.HANGAR_KERNEL_DIRS = path.join(LAB, "guest");
  const vt = path.join(LAB, "guest-virt-type");
  if (fs.existsSync(vt)) process.env.HANGAR_VIRT_TYPE = fs.readFileSync(vt, "utf8").trim();
  const a = await enrollAgent(request, HOST);
  cleanup = a.cleanup;
  await expect
    .poll(
      async () =>
        ((await (await request.get(`${base}/api/hosts`)).json()) as { hosts: { id: string; status: string }[] }).hosts.find((h) => h.id === a.hostId)
          ?.status,
      {
        timeout: 60_000,
      },
    )
    .toBe("online");
});

test.afterAll(() => {
  try {
    virsh("destroy", VM);
  } catch {
    /* not running */
  }
  try {
    virsh("undefine", VM, "--nvram");
  } catch {
    /* not defined */
  }
  cleanup();
});

test("the wizard creates and starts the test guest and lands on its serial console", async ({ page }) => {
  test.setTimeout(150_000);
  await signIn(page);
  await page.goto(`${process.env.HANGAR_E2E_URL}/machines`);
  await page.getByRole("link", { name: "New VM" }).click();
  await expect(page.getByRole("heading", { name: "New virtual machine" })).toBeVisible();
  await page.getByLabel("Create on").selectOption({ label: HOST });
  // Keyboard first, as an admin in a hurry would: the name field has the focus.
  await page.getByLabel("Name", { exact: true }).fill(VM);
  await page.getByLabel("Description (optional)").fill("made by the e2e wizard test <&>");
  await page.getByRole("radio", { name: "Direct kernel boot" }).check();
  await expect(page.getByLabel("Kernel", { exact: true })).toHaveValue(/vmlinuz$/);
  await page.getByLabel("Initrd").selectOption({ label: "initrd.gz" });
  await page.getByLabel("vCPUs").fill("1");
  await page.getByLabel("Memory (MiB)").fill("192");
  await page.getByRole("radio", { name: "No disk" }).check();
  await page.getByLabel("Virtual network").selectOption({ label: "No network" });
  await expect(page.getByRole("checkbox", { name: /Start it now/ })).toBeChecked();
  await page.getByRole("button", { name: "Create VM" }).click();

  await page.waitForURL(/\/machines\/[^/]+\/[0-9a-f-]{36}\?tab=serial$/, { timeout: 60_000 });
  await expect(page.getByRole("heading", { name: VM })).toBeVisible();
  await expect(page.getByTestId("serial-console")).toHaveAttribute("data-state", "connected", { timeout: 20_000 });
  const screen = page.getByTestId("serial-screen");
  // Under TCG the kernel takes ~15 s: the console is open long before the banner.
  await expect(screen).toContainText("hangar-guest booted", { timeout: 90_000 });
  expect(virsh("domstate", VM).trim()).toBe("running");
});

test("bad input is shown under the field it names, and nothing is created", async ({ page }) => {
  await signIn(page);
  await page.goto(`${process.env.HANGAR_E2E_URL}/machines/new`);
  await page.getByLabel("Create on").selectOption({ label: HOST });
  await page.getByLabel("Name", { exact: true }).fill(VM); // taken by the previous test
  await page.getByRole("radio", { name: "Direct kernel boot" }).check();
  await page.getByRole("radio", { name: "No disk" }).check();
  await page.getByLabel("Memory (MiB)").fill("192");
  await page.getByRole("button", { name: "Create VM" }).click();
  const name = page.getByLabel("Name", { exact: true });
  await expect(page.locator("#name-error")).toContainText("already exists");
  await expect(name).toHaveAttribute("aria-invalid", "true");
  await expect(name).toBeFocused();
});
