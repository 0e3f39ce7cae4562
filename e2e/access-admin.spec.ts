// Scoped access in the browser (issue 14): an admin creates a group, a custom role, an
// assignment of that role to the group on a tag, and tags a VM, all in the UI; a user of
// that group then signs in and sees exactly that VM, with the actions the role gives.
// A real agent on this machine reports the lab's libvirt VMs.
import { expect, test, type Page } from "@playwright/test";
import { guardSpec } from "../tests/helpers/lab-env";
import { enrollAgent, removeHost } from "./agent";
import { signIn } from "./session";

const PREFIX = "hx-scoperest";
const USER = { username: `${PREFIX}-user`, password: "a long enough e2e password" };
const GROUP = `${PREFIX}-team`;
const ROLE = `${PREFIX}-runner`;
const TAG = `${PREFIX}-tag`;
const VM = "hangar-test-2";

guardSpec(test, "libvirt");
test.describe.configure({ mode: "serial" });

let cleanup: (() => void) | null = null;
let hostId = "";
let vmUuid = "";

// The agent stops and its host goes: the specs that follow expect the lab's VMs on one host.
test.afterAll(async ({ browser }) => {
  cleanup?.();
  await removeHost(browser, hostId);
});

const base = () => process.env.HANGAR_E2E_URL!;
const headers = () => ({ "X-Hangar-CSRF": "1", Origin: base() });

test("an admin scopes a group to a tag and tags a VM, in Settings and on the VM's page", async ({ page }) => {
  await signIn(page);
  const agent = await enrollAgent(page.request, `${PREFIX}-host`);
  ({ hostId, cleanup } = agent);
  await expect
    .poll(
      async () => {
        const r = await page.request.get(`${base()}/api/machines?host=${hostId}`);
        const rows = ((await r.json()) as { rows: { name: string; uuid: string }[] }).rows;
        vmUuid = rows.find((m) => m.name === VM)?.uuid ?? "";
        return vmUuid;
      },
      { timeout: 30_000 },
    )
    .not.toBe("");
  const created = await page.request.post(`${base()}/api/users`, { data: { ...USER, role: "none" }, headers: headers() });
  expect(created.status()).toBe(201);

  await page.goto(`${base()}/settings`);
  // Groups: create one, add the user.
  const groups = page.getByRole("region", { name: "Groups" });
  await groups.getByLabel("Group name").fill(GROUP);
  await groups.getByRole("button", { name: "Create group" }).click();
  const row = groups.locator(`[data-testid="group-row"][data-group="${GROUP}"]`);
  await expect(row).toBeVisible();
  await row.getByLabel(`Add a member to ${GROUP}`).selectOption({ label: USER.username });
  await expect(row.getByRole("list", { name: `Members of ${GROUP}` })).toContainText(USER.username);

  // Roles: a custom role that reads and powers VMs.
  const roles = page.getByRole("region", { name: "Roles" });
  await roles.getByLabel("Role name").fill(ROLE);
  for (const p of ["host.read", "vm.read", "vm.power"]) await roles.getByLabel(p, { exact: true }).check();
  await roles.getByRole("button", { name: "Create role" }).click();
  await expect(roles.locator(`[data-testid="role-row"][data-role="${ROLE}"]`)).toContainText("vm.power");

  // Access: that role for the group on the tag.
  const access = page.getByRole("region", { name: "Access" });
  await access.getByLabel("Subject type").selectOption("group");
  await access.getByLabel("Group", { exact: true }).selectOption({ label: GROUP });
  await access.getByLabel("Role", { exact: true }).selectOption({ label: ROLE });
  await access.getByLabel("Scope type").selectOption("tag");
  await access.getByLabel("Tag", { exact: true }).fill(TAG);
  await access.getByRole("button", { name: "Assign" }).click();
  await expect(access.getByRole("table", { name: "Role assignments" })).toContainText(`tag ${TAG}`);

  // The VM's page: add the tag with the keyboard.
  await page.goto(`${base()}/machines/${hostId}/${vmUuid}`);
  const add = page.getByLabel("Add tag");
  await add.fill(TAG);
  await add.press("Enter");
  await expect(page.getByRole("list", { name: "Tags" })).toContainText(TAG);
  await expect(page.getByRole("button", { name: `Remove tag ${TAG}` })).toBeVisible();
});

async function signInAs(page: Page) {
  const login = await page.request.post(`${base()}/api/auth/login`, { data: USER, headers: headers() });
  expect(login.status()).toBe(200);
}

test("a member of the group sees only the tagged VM, with the actions the role gives", async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInAs(page);
  await page.goto(`${base()}/machines`);
  await expect(page.getByTestId("live-status")).toHaveAttribute("data-state", "live");
  const rows = page.getByTestId("machine-row");
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toHaveAttribute("data-name", VM);
  await expect(rows.first().getByTestId("tag-chips")).toContainText(TAG);
  // vm.power on the VM: its Start button shows (it is shut off).
  await expect(rows.first().getByRole("button", { name: `Start ${VM}` })).toBeVisible();
  // Only the host the VM is on is listed; the audit page is not offered.
  await page.goto(`${base()}/hosts`);
  await expect(page.getByTestId("host-card")).toHaveCount(1);
  await expect(page.getByRole("link", { name: "Audit" })).toHaveCount(0);
  // The VM's page: no tag editing (no vm.edit), no delete (no vm.manage).
  await page.goto(`${base()}/machines/${hostId}/${vmUuid}`);
  await expect(page.getByRole("heading", { name: VM })).toBeVisible();
  await expect(page.getByLabel("Add tag")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Delete" })).toHaveCount(0);
  await context.close();
});
