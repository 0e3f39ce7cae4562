// Runs after foundation.spec.ts (which needs a server without an admin) and machines.spec.ts:
// Playwright runs spec files in name order with one worker.
// Consoles in Chromium against a real QEMU guest: the graphical console shows the guest's
// screen, typed keys reach the guest's shell, Ctrl+Alt+Del reboots it; the serial console
// shows the shell and echoes input.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { guardSpec } from "../tests/helpers/lab-env";
import { signIn } from "./session";
import { enrollAgent } from "./agent";

const VM = "hangar-test-1";
const LAB = process.env.HANGAR_LAB_DIR ?? "/var/lib/hangar-lab";
const virsh = (...a: string[]) => execFileSync("virsh", ["-c", "qemu:///system", ...a], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
const serial = () => fs.readFileSync(path.join(LAB, "logs", `${VM}.serial.log`), "latin1");
const ready = () => {
  const log = serial();
  const b = log.lastIndexOf("hangar-guest booted");
  return b >= 0 && log.indexOf("hangar-guest:", b) > b;
};

// Like a real keyboard: shifted characters are Shift + the key's code. (Playwright's
// type() sends ">" or "S" without a Shift key event; QEMU takes scancodes, as it should for
// non-US layouts, so it would see "." and "s".)
const SHIFTED: Record<string, string> = {
  ">": "Period",
  "<": "Comma",
  "|": "Backslash",
  $: "Digit4",
  "(": "Digit9",
  ")": "Digit0",
  "*": "Digit8",
  _: "Minus",
  ":": "Semicolon",
  '"': "Quote",
};
async function typeKeys(page: Page, text: string) {
  for (const ch of text) {
    if (SHIFTED[ch]) await page.keyboard.press(`Shift+${SHIFTED[ch]}`);
    else if (/[A-Z]/.test(ch)) await page.keyboard.press(`Shift+Key${ch}`);
    else await page.keyboard.type(ch);
    await page.waitForTimeout(15);
  }
}

// Skips without the lab; under CI / HANGAR_REQUIRE_LAB=1 fails instead (npm test starts the lab).
guardSpec(test, "libvirt");
test.describe.configure({ mode: "serial" });

let cleanup: () => void = () => undefined;
let hostId = "";
let uuid = "";

test.beforeAll(async ({ request }) => {
  try {
    virsh("destroy", VM);
  } catch {
    /* off */
  }
  virsh("start", VM);
  const base = process.env.HANGAR_E2E_URL!;
  const headers = { "X-Hangar-CSRF": "1", Origin: base };
  const login = await request.post(`${base}/api/auth/login`, { data: { username: "admin", password: "a long enough e2e password" }, headers });
  if (!login.ok())
    await request.post(`${base}/api/setup`, {
      data: { token: process.env.HANGAR_E2E_SETUP_TOKEN, username: "admin", password: "a long enough e2e password" },
      headers,
    });
  const a = await enrollAgent(request, "console-host");
  cleanup = a.cleanup;
  hostId = a.hostId;
  await expect
    .poll(
      async () =>
        (
          (await (await request.get(`${base}/api/machines`)).json()) as { rows: { hostId: string; name: string; uuid: string; state: string }[] }
        ).rows.find((r) => r.hostId === hostId && r.name === VM && r.state === "running")?.uuid,
      { timeout: 60_000 },
    )
    .toBeTruthy();
  uuid = ((await (await request.get(`${base}/api/machines`)).json()) as { rows: { hostId: string; name: string; uuid: string }[] }).rows.find(
    (r) => r.hostId === hostId && r.name === VM,
  )!.uuid;
  await expect.poll(ready, { timeout: 60_000 }).toBe(true);
});

test.afterAll(() => {
  cleanup();
  try {
    virsh("destroy", VM);
  } catch {
    /* off */
  }
});

test("graphical console: the guest's screen, typed keys, Ctrl+Alt+Del", async ({ page }) => {
  await signIn(page);
  await page.goto(`${process.env.HANGAR_E2E_URL}/machines/${hostId}/${uuid}`);
  await page.getByRole("tab", { name: "console", exact: true }).click();
  const con = page.getByTestId("vnc-console");
  await expect(con).toHaveAttribute("data-state", "connected", { timeout: 20_000 });
  const canvas = page.getByTestId("vnc-screen").locator("canvas");
  await expect(canvas).toBeVisible();
  // The guest's text console draws light pixels on black.
  await expect
    .poll(
      async () =>
        canvas.evaluate((c: HTMLCanvasElement) => {
          const d = c.getContext("2d")!.getImageData(0, 0, c.width, c.height).data;
          let lit = 0;
          for (let i = 0; i < d.length; i += 4) if (d[i]! + d[i + 1]! + d[i + 2]! > 200) lit++;
          return lit;
        }),
      { timeout: 15_000 },
    )
    .toBeGreaterThan(200);

  const word = `hangar-e2e-${Date.now() % 100000}`;
  await canvas.click();
  await typeKeys(page, `echo ${word} > /dev/ttyS0`);
  await page.keyboard.press("Enter");
  await expect.poll(() => serial().includes(word), { timeout: 15_000 }).toBe(true);

  const boots = serial().split("hangar-guest booted").length;
  await page.getByRole("button", { name: "Ctrl+Alt+Del" }).click();
  await expect.poll(() => serial().split("hangar-guest booted").length, { timeout: 60_000 }).toBeGreaterThan(boots);
  // QEMU keeps its VNC server through a guest reboot: the console stays connected.
  await expect(con).toHaveAttribute("data-state", "connected");
});

test("pop-out console: the whole window, outside the app shell", async ({ page }) => {
  await signIn(page);
  await page.goto(`${process.env.HANGAR_E2E_URL}/console/${hostId}/${uuid}`);
  await expect(page.getByTestId("vnc-console")).toHaveAttribute("data-state", "connected", { timeout: 20_000 });
  await expect(page.getByRole("navigation", { name: "Main" })).toHaveCount(0);
  await expect(page.getByRole("link", { name: /Pop out/ })).toHaveCount(0);
});

test("serial console: shows the shell and echoes typed input", async ({ page }) => {
  await expect.poll(ready, { timeout: 60_000 }).toBe(true);
  await signIn(page);
  await page.goto(`${process.env.HANGAR_E2E_URL}/machines/${hostId}/${uuid}`);
  await page.getByRole("tab", { name: "Serial console" }).click();
  await expect(page.getByTestId("serial-console")).toHaveAttribute("data-state", "connected", { timeout: 20_000 });
  const screen = page.getByTestId("serial-screen");
  await screen.click();
  await page.keyboard.press("Enter");
  await expect(screen).toContainText("hangar-guest:", { timeout: 15_000 });
  await page.keyboard.type("echo $((6*7))-serial", { delay: 10 });
  await page.keyboard.press("Enter");
  await expect(screen).toContainText("42-serial", { timeout: 15_000 });
});

test("graphical console: says the machine is off, and reconnects by itself when it starts again", async ({ page }) => {
  await signIn(page);
  await page.goto(`${process.env.HANGAR_E2E_URL}/machines/${hostId}/${uuid}`);
  await page.getByRole("tab", { name: "console", exact: true }).click();
  await expect(page.getByTestId("vnc-console")).toHaveAttribute("data-state", "connected", { timeout: 20_000 });
  virsh("destroy", VM);
  await expect(page.getByText("The machine is off: start it to use the console.")).toBeVisible({ timeout: 15_000 });
  virsh("start", VM);
  // No click: the live state change brings the console back.
  await expect(page.getByTestId("vnc-console")).toHaveAttribute("data-state", "connected", { timeout: 30_000 });
  await expect(page.getByTestId("vnc-screen").locator("canvas")).toBeVisible();
});
