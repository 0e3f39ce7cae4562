// The import page in a real browser against its own server with the local agent and the
// real libvirtd: an OVA made here (qemu-img + tar) imports and the page shows the OVF's
// CPUs, memory and NIC; a malformed OVF shows the refusal naming the field; a long
// conversion shows qemu-img's percentage and Cancel stops it, leaving nothing behind.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { guardSpec } from "../tests/helpers/lab-env";
import { ADMIN, startWithAdmin, type Client, type TestServer } from "../tests/helpers/server";
import { until } from "../tests/helpers/lab";
import { act } from "../tests/helpers/tasks";
import { vmwareOvf } from "../server/agent/import/testing/ovf-samples";

guardSpec(test, "libvirt");
test.describe.configure({ mode: "serial" });

const virsh = (...a: string[]) => execFileSync("virsh", ["-c", "qemu:///system", ...a], { encoding: "utf8" });
const pool = `hx-f-ui-${process.pid}`;
// Made in beforeAll: Playwright loads spec files in more than one process.
let dir = "";
let bin = "";
let srv: TestServer;
let admin: Client;

function ova(file: string, ovf: string) {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), "hx-f-ui-stage-"));
  fs.writeFileSync(path.join(d, "vm.ovf"), ovf);
  execFileSync("qemu-img", ["create", "-q", "-f", "vmdk", "-o", "subformat=streamOptimized", path.join(d, "disk1.vmdk"), "16M"]);
  execFileSync("tar", ["--format=ustar", "-C", d, "-cf", path.join(dir, file), "vm.ovf", "disk1.vmdk"]);
  fs.rmSync(d, { recursive: true, force: true });
}

test.beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "hx-f-ui-"));
  fs.chmodSync(dir, 0o755);
  // The real qemu-img, rate-limited by its own -r for conversions (16 MiB/s): a disk with
  // 160 MiB of data converts for ~10 s, long enough to watch and cancel.
  bin = fs.mkdtempSync(path.join(os.tmpdir(), "hx-f-ui-bin-"));
  fs.writeFileSync(
    path.join(bin, "qemu-img"),
    `#!/bin/sh\nif [ "$1" = convert ]; then shift; exec qemu-img convert -r 16M "$@"; fi\nexec qemu-img "$@"\n`,
    { mode: 0o755 },
  );
  ({ srv, admin } = await startWithAdmin({ HANGAR_LOCAL_AGENT: "1", HANGAR_QEMU_IMG: path.join(bin, "qemu-img") }));
  const host = await until("local host online", async () =>
    (await admin.req("GET", "/api/hosts")).json.hosts.find((h: { status: string }) => h.status === "online"),
  );
  await act(admin, `/api/hosts/${host.id}/pools`, { name: pool, path: dir });
  await act(admin, `/api/hosts/${host.id}/pools/${pool}/actions`, { action: "start" });
  ova("appliance.ova", vmwareOvf({ name: "hx-f-appliance", vcpus: "2", memory: "256" }));
  ova("broken.ova", vmwareOvf({ memory: "plenty" }));
  execFileSync("qemu-img", ["create", "-q", "-f", "vmdk", path.join(dir, "big.vmdk"), "160M"]);
  execFileSync("qemu-io", ["-f", "vmdk", "-c", "write -P 0x5a 0 160M", path.join(dir, "big.vmdk")]);
  virsh("pool-refresh", pool);
});

test.afterAll(async () => {
  await srv?.stop();
  // The imports define machines: without this a second run finds the name taken.
  for (const d of ["hx-f-ui-vm"])
    try {
      virsh("undefine", d, "--nvram");
    } catch {
      /* not defined */
    }
  for (const a of [
    ["pool-destroy", pool],
    ["pool-undefine", pool],
  ])
    try {
      virsh(...a);
    } catch {
      /* gone */
    }
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  if (bin) fs.rmSync(bin, { recursive: true, force: true });
});

async function open(page: Page) {
  const login = await page.request.post(`${srv.url}/api/auth/login`, { data: ADMIN, headers: { "X-Hangar-CSRF": "1", Origin: srv.url } });
  expect(login.ok()).toBe(true);
  await page.goto(`${srv.url}/machines`);
  await page.getByRole("link", { name: "Import a VM…" }).click();
  await expect(page.getByRole("heading", { name: "Import a VM" })).toBeVisible();
  await page.getByLabel("Source pool").selectOption(pool);
  await page.getByLabel("Convert into pool").selectOption(pool);
}

test("imports an OVA and shows the OVF's CPUs, memory and NIC", async ({ page }) => {
  await open(page);
  await page.getByLabel("Disk or OVA in that pool").fill("appliance.ova");
  await page.getByLabel("New VM name").fill("hx-f-ui-vm");
  await page.getByRole("button", { name: "Import" }).click();
  const result = page.getByTestId("import-result");
  await expect(result).toContainText("Converted OVA", { timeout: 60_000 });
  await expect(result).toContainText("2 / 256 MiB");
  await expect(result).toContainText("VmxNet3 on VM Network");
  await expect(result).toContainText(path.join(dir, "hx-f-ui-vm.qcow2"));
});

test("a malformed OVF is refused, naming ovf.memory, next to the volume field", async ({ page }) => {
  await open(page);
  await page.getByLabel("Disk or OVA in that pool").fill("broken.ova");
  await page.getByLabel("New VM name").fill("hx-f-ui-broken");
  await page.getByRole("button", { name: "Import" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "ovf.memory: " })).toBeVisible();
  await expect(page.getByLabel("Disk or OVA in that pool")).toHaveAttribute("aria-invalid", "true");
  expect(fs.readdirSync(dir).sort()).toEqual(["appliance.ova", "big.vmdk", "broken.ova", "hx-f-ui-vm.qcow2"]);
});

test("a long conversion shows qemu-img's percentage; Cancel stops it and nothing stays", async ({ page }) => {
  await open(page);
  await page.getByLabel("Disk or OVA in that pool").fill("big.vmdk");
  await page.getByLabel("New VM name").fill("hx-f-ui-big");
  await page.getByRole("button", { name: "Import" }).click();
  const bar = page.getByRole("progressbar", { name: "Conversion" });
  await expect(bar).toBeVisible({ timeout: 30_000 });
  await expect.poll(async () => Number((await bar.getAttribute("aria-valuenow")) ?? 0), { timeout: 30_000 }).toBeGreaterThan(0);
  await expect(page.getByRole("status").filter({ hasText: "Converting on the host" })).toContainText(/qemu-img: \d+%/);
  await page.getByRole("button", { name: "Cancel import" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Cancelled by admin" })).toBeVisible({ timeout: 30_000 });
  await expect(bar).toHaveCount(0);
  expect(fs.readdirSync(dir).sort()).toEqual(["appliance.ova", "big.vmdk", "broken.ova", "hx-f-ui-vm.qcow2"]);
  expect(virsh("list", "--all", "--name")).not.toContain("hx-f-ui-big");
});
