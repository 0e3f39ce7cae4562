// Scheduled backups through the whole stack (real server from dist/, local agent, real
// libvirtd, QEMU and qemu-img): a job every minute runs on schedule under a controlled clock
// (HANGAR_JOBS_CLOCK_FILE), keeps its last N, restores into a new VM that boots; a server
// SIGKILLed mid-backup leaves a failed task and no directory under the final name. A second
// suite runs two servers on one PostgreSQL database, both ticking: each slot runs once.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { TaskRow } from "../../server/protocol";
import { ADMIN, Client, startServer, startWithAdmin, type TestServer } from "../helpers/server";
import { guestReady, LAB_DIR, labSuite, until, virsh } from "../helpers/lab";
import { finalTask } from "../helpers/tasks";
import { PeerAgent, peerDomain } from "../helpers/peer-agent";

const VM = "hx-backups-vm";
const BIG = "hx-backups-big";
const RESTORED = "hx-backups-restored";
const MiB = 1024 * 1024;

interface Run {
  id: string;
  slot: string;
  status: string;
  taskId: string | null;
  path: string | null;
  error: string | null;
}

const virt = fs.existsSync(path.join(LAB_DIR, "guest-virt-type")) ? fs.readFileSync(path.join(LAB_DIR, "guest-virt-type"), "utf8").trim() : "qemu";
const g = path.join(LAB_DIR, "guest");

function domainXml(name: string, disk: string, format: string): string {
  return `<domain type='${virt}'><name>${name}</name><memory unit='MiB'>192</memory><vcpu>1</vcpu>
  <os><type arch='x86_64'>hvm</type><kernel>${g}/vmlinuz</kernel><initrd>${g}/initrd.gz</initrd><cmdline>console=tty1 console=ttyS0</cmdline></os>
  <features><acpi/></features><on_poweroff>destroy</on_poweroff>
  <devices>
    <disk type='file' device='disk'><driver name='qemu' type='${format}'/><source file='${disk}'/><target dev='vda' bus='virtio'/></disk>
    <interface type='user'><model type='virtio'/></interface>
    <serial type='pty'><log file='${path.join(LAB_DIR, "logs", `${name}.serial.log`)}' append='off'/><target port='0'/></serial>
    <console type='pty'><target type='serial' port='0'/></console>
  </devices></domain>`;
}

function removeDomain(name: string): void {
  try {
    virsh("destroy", name);
  } catch {
    /* not running */
  }
  try {
    virsh("undefine", name, "--snapshots-metadata");
  } catch {
    /* gone */
  }
}

/** The finished backups of a VM under `dest` (no .partial). */
const finals = (dest: string, vm: string) => {
  const d = path.join(dest, vm);
  return fs.existsSync(d) ? fs.readdirSync(d).sort() : [];
};

labSuite("libvirt", "scheduled backups (real libvirt and qemu-img)", () => {
  let srv: TestServer;
  let admin: Client;
  let dir = "";
  let dest = "";
  let clock = "";
  let offset = 0;
  let hostId = "";
  const orphans: number[] = [];
  const rows = async () => (await admin.req("GET", "/api/machines")).json.rows as { uuid: string; hostId: string; name: string; state: string }[];
  const row = (name: string) => until(`${name} listed`, async () => (await rows()).find((r) => r.name === name), 60_000);
  const runs = async (jobId: string): Promise<Run[]> => (await admin.req("GET", `/api/backup-jobs/${jobId}/runs`)).json.rows as Run[];
  const advance = (ms: number) => {
    offset += ms;
    fs.writeFileSync(clock, String(offset));
  };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "hx-backups-"));
    fs.chmodSync(dir, 0o755);
    dest = path.join(dir, "backups");
    clock = path.join(dir, "clock");
    for (const n of [VM, BIG, RESTORED]) removeDomain(n);
    execFileSync("qemu-img", ["create", "-q", "-f", "qcow2", path.join(dir, `${VM}.qcow2`), "32M"]);
    // Incompressible data so a throttled copy of it takes seconds: the window to kill the server in.
    execFileSync("dd", ["if=/dev/urandom", `of=${path.join(dir, `${BIG}.raw`)}`, "bs=1M", "count=48", "status=none"]);
    for (const [n, f, fmt] of [
      [VM, `${VM}.qcow2`, "qcow2"],
      [BIG, `${BIG}.raw`, "raw"],
    ] as const) {
      const x = path.join(dir, `${n}.xml`);
      fs.writeFileSync(x, domainXml(n, path.join(dir, f), fmt));
      virsh("define", x);
    }
    // 8 MiB/s: the 48 MiB disk takes ~6 s; the tiny guest's near-empty qcow2 copies at once.
    const env = { HANGAR_LOCAL_AGENT: "1", HANGAR_JOBS_CLOCK_FILE: clock, HANGAR_JOBS_TICK_MS: "300", HANGAR_BACKUP_RATE_LIMIT: String(8 * MiB) };
    ({ srv, admin } = await startWithAdmin(env));
    hostId = (await row(VM)).hostId;
  }, 120_000);

  afterAll(async () => {
    await srv?.stop();
    for (const pid of orphans)
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        /* already gone */
      }
    for (const n of [VM, BIG, RESTORED]) removeDomain(n);
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("refuses a bad cron, an unknown time zone and a backup without destination, naming the field", async () => {
    const { uuid } = await row(VM);
    const base = { name: "hx-backups-bad", kind: "backup", target: { type: "vm", hostId, uuid }, destination: dest };
    const bad = await admin.req("POST", "/api/backup-jobs", { ...base, cron: "61 * * * *" });
    expect(bad.status, JSON.stringify(bad.json)).toBe(422);
    expect(bad.json.error.fields).toHaveProperty("cron");
    const tz = await admin.req("POST", "/api/backup-jobs", { ...base, cron: "* * * * *", timeZone: "Mars/Olympus" });
    expect(tz.json.error.fields, JSON.stringify(tz.json)).toHaveProperty("timeZone");
    const nodir = await admin.req("POST", "/api/backup-jobs", { ...base, cron: "* * * * *", destination: undefined });
    expect(nodir.json.error.fields, JSON.stringify(nodir.json)).toHaveProperty("destination");
    const preview = await admin.req("GET", `/api/backup-jobs/preview?cron=${encodeURIComponent("30 2 * * *")}&timeZone=Europe/Madrid`);
    expect(preview.status).toBe(200);
    // 02:30 in Madrid in December is 01:30 UTC.
    expect(preview.json.nextRuns).toHaveLength(3);
    for (const t of preview.json.nextRuns as string[]) expect(t).toMatch(/T01:30:00\.000Z$/);
  });

  it("runs every minute on the controlled clock, keeps the last 2, restores into a new VM that boots", async () => {
    const { uuid } = await row(VM);
    const created = await admin.req("POST", "/api/backup-jobs", {
      name: "hx-backups-minutely",
      kind: "backup",
      target: { type: "vm", hostId, uuid },
      cron: "* * * * *",
      timeZone: "UTC",
      retention: { last: 2 },
      destination: dest,
    });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    const job = created.json.job as { id: string; nextRuns: string[] };
    expect(job.nextRuns).toHaveLength(3);
    // No slot before the job existed: nothing runs until the clock passes the next minute.
    await new Promise((r) => setTimeout(r, 1500));
    const early = await runs(job.id);
    // (Unless the real clock itself crossed a minute meanwhile.)
    expect(early.length).toBeLessThanOrEqual(1);

    const seen = new Set<string>(early.map((r) => r.slot));
    for (let i = 0; i < 3; i++) {
      advance(60_000);
      await until(`run ${i + 1} succeeded`, async () => (await runs(job.id)).find((r) => !seen.has(r.slot) && r.status === "succeeded"), 60_000, 200);
      for (const r of await runs(job.id)) seen.add(r.slot);
    }
    const all = await runs(job.id);
    for (const r of all) expect(r.slot).toMatch(/T\d\d:\d\d:00\.000Z$/);
    // Retention: the two newest are kept on disk, every older one was deleted.
    await until("older backups pruned", async () => (await runs(job.id)).filter((r) => r.status === "succeeded").length === 2 || null, 30_000);
    const kept = (await runs(job.id)).filter((r) => r.status === "succeeded");
    const deleted = (await runs(job.id)).filter((r) => r.status === "deleted");
    expect(deleted.length).toBeGreaterThanOrEqual(1);
    expect(finals(dest, VM)).toEqual(kept.map((r) => path.basename(r.path!)).sort());
    for (const r of deleted) expect(fs.existsSync(r.path!)).toBe(false);
    const newest = kept.sort((a, b) => b.slot.localeCompare(a.slot))[0]!;
    expect(fs.readdirSync(newest.path!).sort()).toEqual(["domain.xml", "manifest.json", "vda.qcow2"]);
    // The task of a run is a vm.backup task on the VM.
    const t = await finalTask(admin, newest.taskId!);
    expect(t).toMatchObject({ kind: "vm.backup", targetType: "vm", targetId: uuid, status: "succeeded" });

    const r = await admin.req("POST", `/api/backup-runs/${newest.id}/restore`, { name: RESTORED, start: true });
    expect([200, 202], JSON.stringify(r.json)).toContain(r.status);
    const restoreTask: TaskRow = r.status === 200 ? r.json.task : await finalTask(admin, r.json.task.id);
    expect(restoreTask.status, restoreTask.error ?? "").toBe("succeeded");
    const restored = await row(RESTORED);
    expect(restored.uuid).not.toBe(uuid);
    const xml = virsh("dumpxml", RESTORED);
    expect(xml).toContain(path.join(dest, `${RESTORED}.disks`, "vda.qcow2"));
    expect(xml).not.toContain(path.join(dir, `${VM}.qcow2`));
    const macOf = (x: string) => /<mac address='([^']+)'/.exec(x)?.[1];
    expect(macOf(xml)).toBeTruthy();
    expect(macOf(xml)).not.toBe(macOf(virsh("dumpxml", "--inactive", VM)));
    await until(`${RESTORED} booted`, () => guestReady(RESTORED) || null, 120_000, 500);
    removeDomain(RESTORED);
    await admin.req("DELETE", `/api/backup-jobs/${job.id}`);
  }, 300_000);

  it("a server killed mid-backup leaves a failed task and no directory under the final name", async () => {
    const { uuid } = await row(BIG);
    const created = await admin.req("POST", "/api/backup-jobs", {
      name: "hx-backups-big",
      kind: "backup",
      target: { type: "vm", hostId, uuid },
      cron: "0 3 1 1 *",
      destination: dest,
    });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    const jobId = created.json.job.id as string;
    const now = await admin.req("POST", `/api/backup-jobs/${jobId}/run`);
    expect(now.status, JSON.stringify(now.json)).toBe(202);
    const run = (now.json.rows as Run[])[0]!;
    // The copy is under way: its .partial exists and holds some of the disk.
    await until(
      "copy under way",
      () => {
        const p = path.join(dest, BIG);
        const partial = fs.existsSync(p) ? fs.readdirSync(p).find((f) => f.endsWith(".partial")) : undefined;
        const f = partial ? path.join(p, partial, "vda.qcow2") : "";
        return f && fs.existsSync(f) && fs.statSync(f).size > MiB ? partial : null;
      },
      30_000,
      50,
    );
    const agentPid = Number(
      execFileSync("pgrep", ["-f", `agent.mjs --server http://127.0.0.1:${srv.port}`], { encoding: "utf8" })
        .trim()
        .split("\n")[0],
    );
    orphans.push(agentPid);
    await srv.stop("SIGKILL", true);
    srv = await srv.restart();
    admin = new Client(srv.url);
    expect((await admin.req("POST", "/api/auth/login", ADMIN)).status).toBe(200);
    const task = await finalTask(admin, run.taskId!, { timeoutMs: 60_000 });
    expect(task.status).toBe("failed");
    const settled = await until("run settled", async () => (await runs(jobId)).find((r) => r.id === run.id && r.status !== "running"), 30_000, 200);
    expect(settled.status).toBe("failed");
    // No backup under the final name; the abandoned agent removed its .partial too.
    expect(finals(dest, BIG).filter((f) => !f.endsWith(".partial"))).toEqual([]);
    await until("partial removed", () => (finals(dest, BIG).length === 0 ? true : null), 30_000);
  }, 180_000);
});

labSuite("postgres", "two servers on one database never run the same slot", () => {
  const db = `hx_backups_${process.pid}`;
  const adminUrl = process.env.HANGAR_TEST_PG_URL ?? "";
  let a: TestServer;
  let b: TestServer;
  let dir = "";
  const peers: PeerAgent[] = [];

  const sql = async (q: string) => {
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    try {
      await c.query(q);
    } finally {
      await c.end();
    }
  };

  beforeAll(async () => {
    await sql(`DROP DATABASE IF EXISTS ${db}`);
    await sql(`CREATE DATABASE ${db}`);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "hx-backups-pg-"));
    const url = new URL(adminUrl);
    url.pathname = `/${db}`;
    const env = { DATABASE_URL: url.toString(), HANGAR_JOBS_CLOCK_FILE: path.join(dir, "clock"), HANGAR_JOBS_TICK_MS: "100" };
    a = await startServer(env);
    b = await startServer(env);
  }, 120_000);

  afterAll(async () => {
    for (const p of peers) await p.close().catch(() => undefined);
    await a?.stop();
    await b?.stop();
    await sql(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`).catch(() => undefined);
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("claims each slot once between them", async () => {
    const admin = new Client(a.url);
    expect((await admin.req("POST", "/api/setup", { token: a.setupToken, ...ADMIN })).status).toBe(201);
    // One host whose agent (a protocol peer) is connected to BOTH servers: both may claim.
    const pa = await PeerAgent.enroll(admin, "hx-backups-peer");
    peers.push(pa, await PeerAgent.connect(b.url, pa.hostId, pa.credential));
    // Each connection reports the same two machines; every snapshot call either server makes is recorded.
    const domain = (n: number) => peerDomain({ uuid: `00000000-0000-4000-8000-00000000000${n}`, name: `hx-backups-pg-vm${n}`, memoryKiB: 65536 });
    const calls: string[] = [];
    for (const p of peers) {
      p.event({ kind: "domain.inventory", domains: [domain(1), domain(2)] });
      p.ws.on("message", (d) => {
        const f = JSON.parse(String(d)) as { type: string; method?: string; params?: { uuid: string; name: string } };
        if (f.type === "req" && f.method === "vm.snapshot.create") calls.push(`${f.params!.uuid} ${f.params!.name}`);
      });
    }
    const r = await admin.req("POST", "/api/backup-jobs", {
      name: "hx-backups-pg",
      kind: "snapshot",
      target: { type: "host", hostId: pa.hostId },
      cron: "* * * * *",
    });
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    const clock = path.join(dir, "clock");
    for (let i = 1; i <= 4; i++) {
      fs.writeFileSync(clock, String(i * 60_000));
      await new Promise((r) => setTimeout(r, 1500));
    }
    const rows = (await admin.req("GET", `/api/backup-jobs/${r.json.job.id}/runs`)).json.rows as Run[];
    // 2 machines × at least 4 slots (5 if the real clock crossed a minute too).
    expect(rows.length).toBeGreaterThanOrEqual(8);
    const slots = new Set(rows.map((r) => r.slot));
    expect(slots.size).toBeGreaterThanOrEqual(4);
    // Each run made exactly one call to the agent, whichever server won it: none twice.
    await until("every run called", () => (calls.length >= rows.length ? true : null), 10_000);
    expect(calls.length).toBe(rows.length);
    expect(new Set(calls).size).toBe(calls.length);
  });
});
