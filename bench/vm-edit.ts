// Benchmark: how long machine edits take through the whole stack (HTTP → task → agent →
// libvirt → answer), on a real server with its local agent. Per kind: the POST's round
// trip (a 200 carries the finished task) and, for the long ones, the task's own duration.
//   - definition edits of a stopped machine (memory, vCPUs, description), BENCH_ROUNDS each
//   - live memory change of the running tiny guest
//   - memory snapshot create / revert / delete of the running 192 MiB guest
//   - clone of a stopped machine with a 64 MiB qcow2 (mostly empty) and delete with volumes
// Run: npx tsx bench/vm-edit.ts   (after npm run build; lab running). Names: hx-e-bench-*.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startWithAdmin, type Client } from "../tests/helpers/server";
import { LAB_DIR, serialLog, until, virsh } from "../tests/helpers/lab";
import { finalTask } from "../tests/helpers/tasks";
import { summary } from "./stats";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);
const SNAP_ROUNDS = Number(process.env.BENCH_SNAPSHOTS ?? 3);
const tag = `hx-e-bench-${process.pid}`;
const POOL = `${tag}-pool`;
const RUN = `${tag}-run`;
const OFF = `${tag}-off`;

async function timed(c: Client, method: string, p: string, body?: unknown): Promise<{ ms: number; taskMs: number }> {
  const t0 = performance.now();
  const r = await c.req(method, p, body);
  if (r.status !== 200 && r.status !== 202) throw new Error(`${method} ${p}: ${r.status} ${JSON.stringify(r.json)}`);
  const task = r.status === 200 ? r.json.task : await finalTask(c, r.json.task.id);
  const ms = performance.now() - t0;
  if (task.status !== "succeeded") throw new Error(`${method} ${p}: task ${task.status}: ${task.error}`);
  return { ms, taskMs: Date.parse(task.finishedAt) - Date.parse(task.createdAt) };
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hx-e-bench-"));
  fs.chmodSync(dir, 0o755);
  const virt = fs.readFileSync(path.join(LAB_DIR, "guest-virt-type"), "utf8").trim();
  const g = path.join(LAB_DIR, "guest");
  const define = (xml: string) => {
    const f = path.join(dir, "d.xml");
    fs.writeFileSync(f, xml);
    virsh("define", f);
  };
  virsh("pool-define-as", POOL, "dir", "--target", dir);
  virsh("pool-start", POOL);
  virsh("vol-create-as", POOL, `${RUN}-root.qcow2`, "64M", "--format", "qcow2");
  virsh("vol-create-as", POOL, `${OFF}-root.qcow2`, "64M", "--format", "qcow2");
  const disk = (f: string) =>
    `<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='${dir}/${f}'/><target dev='vda' bus='virtio'/></disk>`;
  define(`<domain type='${virt}'><name>${RUN}</name><memory unit='MiB'>192</memory><vcpu>1</vcpu><os><type arch='x86_64'>hvm</type><kernel>${g}/vmlinuz</kernel><initrd>${g}/initrd.gz</initrd><cmdline>console=ttyS0</cmdline></os><devices>${disk(`${RUN}-root.qcow2`)}<serial type='pty'><log file='${LAB_DIR}/logs/${RUN}.serial.log' append='off'/><target port='0'/></serial><memballoon model='virtio'/></devices></domain>`);
  define(`<domain type='${virt}'><name>${OFF}</name><memory unit='MiB'>64</memory><vcpu>1</vcpu><os><type arch='x86_64'>hvm</type></os><devices>${disk(`${OFF}-root.qcow2`)}</devices></domain>`);
  const { srv, admin } = await startWithAdmin({ HANGAR_LOCAL_AGENT: "1" });
  try {
    const row = (name: string) =>
      until(name, async () =>
        ((await admin.req("GET", "/api/machines")).json.rows as { name: string; hostId: string; uuid: string; state: string }[]).find(
          (r) => r.name === name,
        ),
      );
    const off = await row(OFF);
    const offBase = `/api/machines/${off.hostId}/${off.uuid}`;
    const edits: Record<string, number[]> = { memory: [], vcpus: [], description: [] };
    for (let i = 0; i < ROUNDS; i++) {
      edits.memory!.push((await timed(admin, "POST", `${offBase}/edit`, { change: { kind: "memory", mib: 64 + (i % 2) * 16 } })).ms);
      edits.vcpus!.push((await timed(admin, "POST", `${offBase}/edit`, { change: { kind: "vcpus", count: 1 + (i % 2) } })).ms);
      edits.description!.push((await timed(admin, "POST", `${offBase}/edit`, { change: { kind: "description", text: `round ${i}` } })).ms);
    }
    for (const [k, v] of Object.entries(edits)) console.log(summary(`stopped machine, edit ${k} (POST round trip)`, v));

    virsh("start", RUN);
    await until("guest booted", () => serialLog(RUN).includes("hangar-guest:"), 120_000, 250);
    const run = await until("running", async () => ((await row(RUN)).state === "running" ? row(RUN) : null));
    const runBase = `/api/machines/${run.hostId}/${run.uuid}`;
    const live: number[] = [];
    for (let i = 0; i < ROUNDS; i++)
      live.push((await timed(admin, "POST", `${runBase}/edit`, { change: { kind: "memory", mib: 128 + (i % 2) * 32 } })).ms);
    console.log(summary("running machine, live memory (balloon target) round trip", live));

    const create: number[] = [];
    const revert: number[] = [];
    const del: number[] = [];
    for (let i = 0; i < SNAP_ROUNDS; i++) {
      create.push((await timed(admin, "POST", `${runBase}/snapshots`, { name: `b${i}`, memory: true })).taskMs);
      revert.push((await timed(admin, "POST", `${runBase}/snapshots/b${i}/revert`)).taskMs);
    }
    for (let i = SNAP_ROUNDS - 1; i >= 0; i--) del.push((await timed(admin, "DELETE", `${runBase}/snapshots/b${i}`)).taskMs);
    console.log(summary(`memory snapshot create, 192 MiB ${virt} guest (task)`, create));
    console.log(summary("revert to it while running (task)", revert));
    console.log(summary("delete a memory snapshot (task)", del));
    virsh("destroy", RUN);

    const clone = await timed(admin, "POST", `${offBase}/clone`, { name: `${tag}-c` });
    console.log(`clone of a stopped machine with one 64 MiB qcow2: task ${clone.taskMs} ms`);
    const c = await row(`${tag}-c`);
    const gone = await timed(admin, "DELETE", `/api/machines/${c.hostId}/${c.uuid}`, { volumes: [path.join(dir, `${tag}-c-root.qcow2`)] });
    console.log(`delete it with its volume: task ${gone.taskMs} ms`);
  } finally {
    await srv.stop();
    for (const n of [RUN, OFF, `${tag}-c`]) {
      for (const a of [
        ["destroy", n],
        ["undefine", n, "--snapshots-metadata"],
      ])
        try {
          virsh(...a);
        } catch {
          /* not there */
        }
    }
    for (const a of [
      ["pool-destroy", POOL],
      ["pool-undefine", POOL],
    ])
      try {
        virsh(...a);
      } catch {
        /* not there */
      }
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(`${LAB_DIR}/logs/${RUN}.serial.log`, { force: true });
  }
}

void main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
