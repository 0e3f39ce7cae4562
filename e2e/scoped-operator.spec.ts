// Scoped access end to end (issue 14 acceptance), in Chromium against the real lab: an
// operator scoped to one tag sees only the VM and container carrying it, starts that VM from
// the table, is refused (403, so no ticket and no VNC byte) a console on another VM, and the
// event socket, watched frame by frame, carries nothing about the VM outside the tag while
// it is changed behind Hangar's back, nor any of its metric samples.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { guardSpec } from "../tests/helpers/lab-env";
import { enrollAgent, removeHost } from "./agent";
import { signIn } from "./session";

const P = `hx-scoped-e2e-${process.pid}`;
const VM_IN = `${P}-in`;
const VM_OUT = `${P}-out`;
const CT_IN = `${P}-ct-in`;
const CT_OUT = `${P}-ct-out`;
const TAG = "hx-scoped-team";
const USER = { username: `${P}-op`, password: "a long enough e2e password" };
const virsh = (...a: string[]) => execFileSync("virsh", ["-c", "qemu:///system", ...a], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
const podman = (...a: string[]) => execFileSync("podman", a, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
const base = () => process.env.HANGAR_E2E_URL!;
const headers = () => ({ "X-Hangar-CSRF": "1", Origin: base() });

guardSpec(test, "libvirt", "podman");
test.describe.configure({ mode: "serial" });

let cleanup: (() => void) | null = null;
let hostId = "";
const uuid: Record<string, string> = {};
const ctId: Record<string, string> = {};

function define(name: string): void {
  const f = path.join(os.tmpdir(), `${name}.xml`);
  // Diskless: it runs as an empty QEMU, enough to start, stop and sample.
  fs.writeFileSync(
    f,
    `<domain type='qemu'><name>${name}</name><memory unit='MiB'>32</memory><vcpu>1</vcpu><os><type arch='x86_64'>hvm</type></os><devices></devices></domain>`,
  );
  virsh("define", f);
  fs.rmSync(f);
}

function removeAll(): void {
  for (const vm of [VM_IN, VM_OUT]) {
    try {
      virsh("destroy", vm);
    } catch {
      /* not running */
    }
    try {
      virsh("undefine", vm);
    } catch {
      /* not defined */
    }
  }
  for (const c of [CT_IN, CT_OUT])
    try {
      podman("rm", "-f", "-t", "0", c);
    } catch {
      /* not there */
    }
}

test.beforeAll(async ({ browser }) => {
  removeAll();
  define(VM_IN);
  define(VM_OUT);
  for (const c of [CT_IN, CT_OUT]) podman("create", "--name", c, "localhost/hangar-busybox:latest", "sleep", "600");
  const page = await browser.newPage();
  await signIn(page);
  const agent = await enrollAgent(page.request, `${P}-host`);
  ({ hostId, cleanup } = agent);
  await expect
    .poll(
      async () => {
        const m = ((await (await page.request.get(`${base()}/api/machines?host=${hostId}`)).json()) as { rows: { name: string; uuid: string }[] })
          .rows;
        const c = ((await (await page.request.get(`${base()}/api/containers`)).json()) as { rows: { name: string; id: string; hostId: string }[] })
          .rows;
        for (const r of m) if (r.name.startsWith(P)) uuid[r.name] = r.uuid;
        for (const r of c) if (r.hostId === hostId && r.name.startsWith(P)) ctId[r.name] = r.id;
        return Object.keys(uuid).length + Object.keys(ctId).length;
      },
      { timeout: 30_000 },
    )
    .toBe(4);
  expect(
    (await page.request.put(`${base()}/api/machines/${hostId}/${uuid[VM_IN]}/tags`, { data: { tags: [TAG] }, headers: headers() })).status(),
  ).toBe(200);
  expect(
    (await page.request.put(`${base()}/api/containers/${hostId}/${ctId[CT_IN]}/tags`, { data: { tags: [TAG] }, headers: headers() })).status(),
  ).toBe(200);
  const u = await page.request.post(`${base()}/api/users`, { data: { ...USER, role: "none" }, headers: headers() });
  expect(u.status()).toBe(201);
  const a = await page.request.post(`${base()}/api/assignments`, {
    data: {
      subject: { type: "user", id: ((await u.json()) as { user: { id: string } }).user.id },
      role: "operator",
      scope: { type: "tag", id: TAG },
    },
    headers: headers(),
  });
  expect(a.status()).toBe(201);
  await page.close();
});

test.afterAll(async ({ browser }) => {
  cleanup?.();
  removeAll();
  await removeHost(browser, hostId);
});

/** Every frame the page's event socket receives, as text. */
function recordFrames(page: Page): string[] {
  const frames: string[] = [];
  page.on("websocket", (ws) => {
    if (!ws.url().includes("/ws/events")) return;
    ws.on("framereceived", (f) => frames.push(typeof f.payload === "string" ? f.payload : f.payload.toString("utf8")));
  });
  return frames;
}

test("sees only the tagged VM and container, starts it, and hears nothing of the others", async ({ browser }) => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const frames = recordFrames(page);
  const login = await page.request.post(`${base()}/api/auth/login`, { data: USER, headers: headers() });
  expect(login.status()).toBe(200);

  await page.goto(`${base()}/machines`);
  const rows = page.getByTestId("machine-row");
  await expect(rows.filter({ hasText: VM_IN })).toHaveCount(1);
  await expect(page.getByText(VM_OUT)).toHaveCount(0);
  // The lab's own VMs are outside the tag too.
  await expect(page.getByText("hangar-test-1")).toHaveCount(0);

  await page.goto(`${base()}/containers`);
  await expect(page.getByText(CT_IN)).toBeVisible();
  await expect(page.getByText(CT_OUT)).toHaveCount(0);

  await page.goto(`${base()}/machines`);
  await expect(page.getByTestId("live-status")).toHaveAttribute("data-state", "live");
  const mark = frames.length;
  await rows
    .filter({ hasText: VM_IN })
    .getByRole("button", { name: `Start ${VM_IN}` })
    .click();
  await expect.poll(() => virsh("domstate", VM_IN).trim(), { timeout: 30_000 }).toBe("running");
  // Changed behind Hangar's back while the page listens: the other VM starts and stops.
  virsh("start", VM_OUT);
  await expect(rows.filter({ hasText: VM_IN })).toContainText(/running/i, { timeout: 15_000 });
  // The VM's page subscribes to its live metrics; samples arrive for it, never for the other.
  await page.goto(`${base()}/machines/${hostId}/${uuid[VM_IN]}`);
  await expect.poll(() => frames.some((f) => f.includes('"type":"metrics"') && f.includes(uuid[VM_IN]!)), { timeout: 30_000 }).toBe(true);
  virsh("destroy", VM_OUT);
  // Then a change it may see: events reach the socket in order, so once this one is there,
  // anything sent about the other VM before it would be there too.
  virsh("destroy", VM_IN);
  await expect
    .poll(() => frames.some((f) => f.includes('"type":"machine.upsert"') && f.includes(uuid[VM_IN]!) && f.includes('"state":"shutoff"')), {
      timeout: 15_000,
    })
    .toBe(true);
  const seen = frames.slice(mark);
  expect(seen.some((f) => f.includes(uuid[VM_IN]!))).toBe(true);
  expect(seen.filter((f) => f.includes(uuid[VM_OUT]!) || f.includes(VM_OUT) || f.includes(ctId[CT_OUT]!))).toEqual([]);

  // A console on the other VM: refused before any ticket exists, so no VNC byte can flow.
  const ticket = await page.request.post(`${base()}/api/machines/${hostId}/${uuid[VM_OUT]}/console`, { data: { kind: "vnc" }, headers: headers() });
  expect(ticket.status()).toBe(403);
  // And asking for its metrics on the socket is refused by name.
  const refused = await page.evaluate(
    (series) =>
      new Promise<string>((resolve) => {
        const ws = new WebSocket(`${location.origin.replace(/^http/, "ws")}/ws/events`);
        ws.onmessage = (m) => {
          const e = JSON.parse(String(m.data)) as { type: string; code?: string };
          if (e.type === "hello") ws.send(JSON.stringify({ type: "metrics.subscribe", series: [series] }));
          if (e.type === "error" || e.type === "metrics.subscribed") {
            resolve(e.code ?? e.type);
            ws.close();
          }
        };
      }),
    `vm/${hostId}/${uuid[VM_OUT]}`,
  );
  expect(refused).toBe("forbidden_series");
  await ctx.close();
});
