// Benchmark (issue 13): what "used by" costs. GET /api/hosts/<id>/pools/<pool>/volumes
// reads every domain's XML over libvirt RPC to find which machines reference each volume;
// this times the list with N volumes and N scratch domains (each using one volume), and
// the create and delete tasks through the whole stack.
// Run: npx tsx bench/volumes.ts   (after npm run build; BENCH_VOLUMES=100 by default)
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startWithAdmin } from "../tests/helpers/server";
import { until, virsh } from "../tests/helpers/lab";
import { summary } from "./stats";

const N = Number(process.env.BENCH_VOLUMES ?? 100);
const POOL = `hx-a-bench-${process.pid}`;
const DOM = `hx-a-bench-dom-${process.pid}-`;

function domainXml(name: string, disk: string): string {
  return `<domain type='qemu'><name>${name}</name><memory unit='MiB'>32</memory><vcpu>1</vcpu><os><type arch='x86_64'>hvm</type></os><devices><disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='${disk}'/><target dev='vda' bus='virtio'/></disk></devices></domain>`;
}

async function main() {
  console.log(`# volumes benchmark: ${N} volumes, ${N} domains using them, ${os.cpus().length} cores`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hx-a-bench-"));
  fs.chmodSync(dir, 0o755);
  const { srv, admin } = await startWithAdmin({ HANGAR_LOCAL_AGENT: "1" });
  try {
    const host = await until("host online", async () =>
      (await admin.req("GET", "/api/hosts")).json.hosts.find((h: { status: string }) => h.status === "online"),
    );
    const base = `/api/hosts/${host.id}/pools/${POOL}`;
    await admin.req("POST", `/api/hosts/${host.id}/pools`, { name: POOL, path: dir });
    await admin.req("POST", `${base}/actions`, { action: "start" });
    const creates: number[] = [];
    for (let i = 0; i < N; i++) {
      const t = performance.now();
      const r = await admin.req("POST", `${base}/volumes`, { name: `v${i}.raw`, format: "raw", capacity: 1024 * 1024 });
      if (r.status !== 200) throw new Error(`create answered ${r.status}: ${JSON.stringify(r.json)}`);
      creates.push(performance.now() - t);
    }
    console.log(summary(`volume.create task (with ${"<"}=${N} volumes, 0 domains)`, creates));
    const xml = path.join(dir, "d.xml");
    for (let i = 0; i < N; i++) {
      fs.writeFileSync(xml, domainXml(`${DOM}${i}`, path.join(dir, `v${i}.raw`)));
      virsh("define", xml);
    }
    fs.rmSync(xml);
    const lists: number[] = [];
    for (let i = 0; i < 30; i++) {
      const t = performance.now();
      const r = await admin.req("GET", `${base}/volumes`);
      lists.push(performance.now() - t);
      if (r.json.volumes.filter((v: { usedBy: unknown[] }) => v.usedBy.length === 1).length !== N) throw new Error("used-by wrong");
    }
    console.log(summary(`GET volumes (${N} volumes, ${N} domains, used-by from ${N} domain XMLs)`, lists));
    const dels: number[] = [];
    for (let i = 0; i < N; i++) {
      virsh("undefine", `${DOM}${i}`);
      const t = performance.now();
      const r = await admin.req("DELETE", `${base}/volumes/v${i}.raw`);
      if (r.status !== 200) throw new Error(`delete answered ${r.status}: ${JSON.stringify(r.json)}`);
      dels.push(performance.now() - t);
    }
    console.log(summary("volume.delete task (used-by check included)", dels));
    await admin.req("DELETE", base);
  } finally {
    await srv.stop();
    for (const n of virsh("list", "--all", "--name")
      .split("\n")
      .map((s) => s.trim())
      .filter((s) => s.startsWith(DOM)))
      virsh("undefine", n);
    for (const c of ["pool-destroy", "pool-undefine"])
      try {
        virsh(c, POOL);
      } catch {
        /* gone */
      }
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

void main();
