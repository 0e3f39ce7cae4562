// Live migration in Chromium: on a running VM's page, Migrate… picks the other libvirt host
// (the lab's second libvirtd, scripts/lab/second-libvirt-up.sh), confirms, and the page follows
// the VM to its new host once libvirt has moved it. Two real agents, one per daemon.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { guardSpec } from "../tests/helpers/lab-env";
import { signIn } from "./session";
import { enrollAgent, removeHost } from "./agent";

const LAB = process.env.HANGAR_LAB_DIR ?? "/var/lib/hangar-lab";
const URI_A = "qemu+unix:///system?socket=/run/libvirt/libvirt-sock";
const SOCK_B = path.join(LAB, "libvirt-b", "sock", "libvirt-sock");
const URI_B = `qemu+unix:///system?socket=${SOCK_B}`;
const VM = `hx-migrate-e2e-${process.pid}`;
const virshOn = (uri: string, ...a: string[]) => execFileSync("virsh", ["-c", uri, ...a], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
const stateOn = (uri: string) => {
  try {
    return virshOn(uri, "domstate", VM).trim();
  } catch {
    return null;
  }
};
const base = () => process.env.HANGAR_E2E_URL!;

guardSpec(test, "libvirt");
test.describe.configure({ mode: "serial" });

const cleanups: (() => void)[] = [];
const hosts: string[] = [];
let hostA = "";
let hostB = "";
let uuid = "";

function removeVm(): void {
  for (const uri of [URI_A, URI_B])
    for (const cmd of ["destroy", "undefine"])
      try {
        virshOn(uri, cmd, VM);
      } catch {
        /* not there */
      }
}

test.beforeAll(async ({ browser }) => {
  execFileSync("bash", [path.resolve(import.meta.dirname, "..", "scripts", "lab", "second-libvirt-up.sh")], { stdio: "ignore", timeout: 180_000 });
  removeVm();
  // Diskless: SeaBIOS runs with nothing to boot, a real running QEMU that migrates in a second.
  const f = path.join(os.tmpdir(), `${VM}.xml`);
  fs.writeFileSync(
    f,
    `<domain type='qemu'><name>${VM}</name><memory unit='MiB'>64</memory><vcpu>1</vcpu><os><type arch='x86_64'>hvm</type></os><devices></devices></domain>`,
  );
  virshOn(URI_A, "define", f);
  fs.rmSync(f);
  virshOn(URI_A, "start", VM);
  const page = await browser.newPage();
  await signIn(page);
  const a = await enrollAgent(page.request, "hx-migrate-e2e-a");
  const b = await enrollAgent(page.request, "hx-migrate-e2e-b", { HANGAR_LIBVIRT_SOCKET: SOCK_B, HANGAR_MIGRATION_URI: URI_B });
  cleanups.push(a.cleanup, b.cleanup);
  hostA = a.hostId;
  hostB = b.hostId;
  hosts.push(hostA, hostB);
  const rowOn = async (hostId: string) =>
    (
      (await (await page.request.get(`${base()}/api/machines`)).json()) as { rows: { hostId: string; name: string; uuid: string; state: string }[] }
    ).rows.find((r) => r.hostId === hostId && r.name === VM && r.state === "running");
  await expect.poll(async () => (await rowOn(hostA))?.uuid, { timeout: 60_000 }).toBeTruthy();
  uuid = (await rowOn(hostA))!.uuid;
  // The target must be online with its migration URI before the dialog offers it.
  await expect
    .poll(
      async () =>
        ((await (await page.request.get(`${base()}/api/hosts/${hostB}`)).json()) as { host: { facts: { migrationUri?: string } | null } }).host.facts
          ?.migrationUri,
      {
        timeout: 60_000,
      },
    )
    .toBe(URI_B);
  await page.close();
});

test.afterAll(async ({ browser }) => {
  for (const c of cleanups) c();
  removeVm();
  for (const h of hosts) await removeHost(browser, h);
});

test("Migrate… moves the running VM to the other host and the page follows it there", async ({ page }) => {
  await signIn(page);
  await page.goto(`${base()}/machines/${encodeURIComponent(hostA)}/${uuid}`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(VM);
  await page.getByRole("button", { name: "Migrate…" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog.getByLabel("Target host")).toHaveValue(hostB);
  await dialog.getByRole("button", { name: "Migrate", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/machines/${hostB}/${uuid}$`), { timeout: 90_000 });
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(VM);
  expect(stateOn(URI_B)).toBe("running");
  expect(stateOn(URI_A)).toBeNull();
});
