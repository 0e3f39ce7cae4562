// Benchmark: creating and starting the tiny test guest, from submit to its first console
// output ("hangar-guest booted" on the serial console), through Hangar vs virt-install.
// Same guest both ways: direct kernel boot of the lab's kernel/initrd (console=ttyS0),
// 192 MiB, 1 vCPU, a new 64 MiB qcow2 disk in the same scratch pool, VNC on 127.0.0.1,
// a serial pty, no NIC. Runs alternate (Hangar, virt-install, Hangar, …) so drift in the
// host's load hits both alike.
//   Hangar: POST /api/machines/<host> (the wizard's request) → 201 → serial console socket
//           (ticket + /ws/console, as the wizard's landing page does) → banner seen.
//   virt-install: `virt-install --import --boot kernel=…` process start → banner in the
//           serial pty's log file (virt-install has no console client of its own here).
// Run: npx tsx bench/vm-create.ts (after npm run build, scripts/lab/test-services-up.sh and
//      scripts/lab/bench-tools.sh for virt-install). BENCH_RUNS=3 runs of each.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startWithAdmin, type Client } from "../tests/helpers/server";
import { LAB_DIR, until, virsh } from "../tests/helpers/lab";
import { collectText, openConsole, ticket } from "../tests/helpers/console";
import { pct } from "./stats";

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const PREFIX = `hx-d-bench-${process.pid}`;
const GUEST = path.join(LAB_DIR, "guest");
const BANNER = "hangar-guest booted";
const DISK_BYTES = 64 * 1024 * 1024;
const virtType = fs.existsSync(path.join(LAB_DIR, "guest-virt-type"))
  ? fs.readFileSync(path.join(LAB_DIR, "guest-virt-type"), "utf8").trim()
  : "qemu";

function remove(name: string, pool: string): void {
  for (const args of [
    ["destroy", name],
    ["undefine", name, "--nvram"],
  ])
    try {
      virsh(...args);
    } catch {
      /* not running / not defined */
    }
  virsh("pool-refresh", pool);
  const vols = virsh("vol-list", pool)
    .split("\n")
    .slice(2)
    .map((l) => l.trim().split(/\s+/)[0]!);
  for (const vol of vols.filter((v) => v.startsWith(name)))
    try {
      virsh("vol-delete", vol, "--pool", pool);
    } catch {
      /* gone */
    }
}

const answered: number[] = [];

async function viaHangar(admin: Client, url: string, hostId: string, name: string, pool: string): Promise<number> {
  const t0 = performance.now();
  const r = await admin.req("POST", `/api/machines/${hostId}`, {
    name,
    vcpus: 1,
    memoryMiB: 192,
    boot: { kind: "kernel", kernel: path.join(GUEST, "vmlinuz"), initrd: path.join(GUEST, "initrd.gz"), cmdline: "console=ttyS0" },
    disk: { kind: "new", pool, sizeBytes: DISK_BYTES, format: "qcow2" },
    network: { kind: "none" },
    startNow: true,
  });
  if (r.status !== 201) throw new Error(`create: ${r.status} ${JSON.stringify(r.json)}`);
  // The POST answers once the disk exists, the domain is defined and QEMU has started.
  answered.push(performance.now() - t0);
  const t = await ticket(admin, hostId, r.json.machine.uuid, { kind: "serial" });
  const c = await openConsole(url, admin.cookie, t.json.protocols);
  const out = collectText(c.ws!, "latin1");
  await until("banner on the console", () => out.text().includes(BANNER), 120_000, 5);
  const ms = performance.now() - t0;
  c.ws!.close();
  return ms;
}

async function viaVirtInstall(name: string, pool: string, dir: string): Promise<number> {
  const log = path.join(dir, `${name}.serial.log`);
  const t0 = performance.now();
  const p = spawn(
    "virt-install",
    [
      "--connect=qemu:///system",
      `--name=${name}`,
      "--memory=192",
      "--vcpus=1",
      `--virt-type=${virtType}`,
      "--import",
      `--boot=kernel=${path.join(GUEST, "vmlinuz")},initrd=${path.join(GUEST, "initrd.gz")},kernel_args=console=ttyS0`,
      `--disk=pool=${pool},size=${DISK_BYTES / 1024 ** 3},format=qcow2`,
      "--graphics=vnc,listen=127.0.0.1",
      `--serial=pty,log.file=${log}`,
      "--network=none",
      "--osinfo=detect=on,require=off",
      "--noautoconsole",
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let err = "";
  p.stderr.on("data", (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((r) => p.once("exit", r));
  await until("banner in the serial log", () => fs.existsSync(log) && fs.readFileSync(log, "latin1").includes(BANNER), 120_000, 5);
  const ms = performance.now() - t0;
  const code = await exited;
  if (code !== 0) throw new Error(`virt-install exited ${code}: ${err}`);
  return ms;
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hx-d-bench-"));
  fs.chmodSync(dir, 0o755);
  const pool = `${PREFIX}-pool`;
  fs.mkdirSync(path.join(dir, "pool"));
  virsh("pool-define-as", pool, "dir", "--target", path.join(dir, "pool"));
  virsh("pool-start", pool);
  const { srv, admin } = await startWithAdmin({ HANGAR_LOCAL_AGENT: "1", HANGAR_KERNEL_DIRS: GUEST, HANGAR_VIRT_TYPE: virtType });
  const names: string[] = [];
  try {
    const host = await until("local host online", async () =>
      (await admin.req("GET", "/api/hosts")).json.hosts.find((h: { status: string }) => h.status === "online"),
    );
    const hangar: number[] = [];
    const vi: number[] = [];
    // One unmeasured create each first: QEMU's and virt-install's first start read caches cold.
    for (let i = 0; i <= RUNS; i++) {
      const a = `${PREFIX}-h${i}`;
      const b = `${PREFIX}-v${i}`;
      names.push(a, b);
      const h = await viaHangar(admin, srv.url, host.id, a, pool);
      remove(a, pool);
      const v = await viaVirtInstall(b, pool, dir);
      remove(b, pool);
      if (i === 0) continue;
      hangar.push(h);
      vi.push(v);
      console.log(`run ${i}: hangar ${h.toFixed(0)} ms, virt-install ${v.toFixed(0)} ms`);
    }
    const mh = pct(hangar, 50);
    const mv = pct(vi, 50);
    console.log(`virt type ${virtType}, ${RUNS} runs each, submit → "${BANNER}" on the serial console`);
    console.log(`hangar median ${mh.toFixed(0)} ms (min ${Math.min(...hangar).toFixed(0)}, max ${Math.max(...hangar).toFixed(0)})`);
    console.log(`virt-install median ${mv.toFixed(0)} ms (min ${Math.min(...vi).toFixed(0)}, max ${Math.max(...vi).toFixed(0)})`);
    const post = answered.slice(1);
    console.log(`hangar POST answered (disk + define + start): median ${pct(post, 50).toFixed(0)} ms`);
    console.log(`ratio hangar / virt-install: ${(mh / mv).toFixed(2)}x (goal <= 1.2x)`);
  } finally {
    await srv.stop();
    for (const n of names) remove(n, pool);
    try {
      virsh("pool-destroy", pool);
      virsh("pool-undefine", pool);
    } catch {
      /* gone */
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
