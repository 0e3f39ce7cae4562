// Benchmark (issue 13): upload of a disk image through the real server → its local agent →
// libvirt's upload stream into a directory pool, against `cp` of the same file on the same
// disk, alternating within one run (so both see the same disk and page cache); each is
// followed by `sync` and timed with it. Prints MB/s of each, the ratio (goal ≥ 0.5×) and
// CPU seconds per GiB of the server and agent processes (and libvirtd) during the uploads.
// A third measure, libvirt's upload stream fed straight from the file by this process (no
// HTTP, no agent hop), shows how much of the gap is libvirt's own path (libvirtd → iohelper).
// Run: npx tsx bench/volume-upload.ts   (after npm run build; BENCH_UPLOAD_MIB, BENCH_ROUNDS)
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { startWithAdmin } from "../tests/helpers/server";
import { until, virsh } from "../tests/helpers/lab";
import { LibvirtClient, storagePoolLookupByName, storageVolCreateXml, storageVolDelete, storageVolUploadFrom } from "../server/agent/libvirt";
import { cpuOf, pidsByName, tree } from "./proc-cpu";

const MIB = Number(process.env.BENCH_UPLOAD_MIB ?? 512);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const BYTES = MIB * 1024 * 1024;
const GiB = 1024 ** 3;
const POOL = `hx-b-bench-${process.pid}`;

function post(url: string, cookie: string, file: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const req = http.request(
      {
        host: u.hostname,
        port: u.port,
        path: u.pathname + u.search,
        method: "POST",
        headers: {
          Origin: u.origin,
          Cookie: cookie,
          "X-Hangar-CSRF": "1",
          "Content-Type": "application/octet-stream",
          "Content-Length": String(fs.statSync(file).size),
        },
      },
      (res) => {
        let body = "";
        res.on("data", (d: Buffer) => (body += d.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on("error", reject);
    fs.createReadStream(file, { highWaterMark: 1024 * 1024 }).pipe(req);
  });
}

const mbps = (bytes: number, s: number) => bytes / 1e6 / s;

async function main() {
  // Same file system for the source, the cp target and the pool.
  const root = fs.mkdtempSync(path.join(process.env.BENCH_DIR ?? os.tmpdir(), "hx-b-bench-"));
  fs.chmodSync(root, 0o755);
  const poolDir = path.join(root, "pool");
  fs.mkdirSync(poolDir, { mode: 0o755 });
  const src = path.join(root, "src.img");
  const copy = path.join(root, "copy.img");
  execFileSync("dd", ["if=/dev/urandom", `of=${src}`, "bs=1M", `count=${MIB}`, "status=none"]);
  console.log(`# volume upload benchmark: ${MIB} MiB, ${ROUNDS} rounds alternating, ${os.cpus().length} cores, dir ${root}`);
  virsh("pool-create-as", POOL, "dir", "--target", poolDir);
  const { srv, admin } = await startWithAdmin({ HANGAR_LOCAL_AGENT: "1" });
  try {
    const host = await until("local host online", async () =>
      (await admin.req("GET", "/api/hosts")).json.hosts.find((h: { status: string }) => h.status === "online"),
    );
    const url = `${srv.url}/api/hosts/${host.id}/pools/${POOL}/upload?name=bench.img`;
    const serverPid = srv.proc.pid!;
    const agentPids = () => tree(serverPid).filter((p) => p !== serverPid);
    const libvirtd = pidsByName("libvirtd");
    const up: number[] = [];
    const cp: number[] = [];
    const rpc: number[] = [];
    const lv = new LibvirtClient();
    await lv.connect();
    const lvPool = await storagePoolLookupByName(lv, POOL);
    const direct = async () => {
      const xml = `<volume><name>direct.img</name><capacity unit='bytes'>${BYTES}</capacity><allocation>0</allocation><target><format type='raw'/></target></volume>`;
      const vol = await storageVolCreateXml(lv, lvPool, xml);
      const t = performance.now();
      await storageVolUploadFrom(lv, vol, fs.createReadStream(src, { highWaterMark: 1024 * 1024 }));
      execFileSync("sync");
      rpc.push((performance.now() - t) / 1000);
      await storageVolDelete(lv, vol);
    };
    let cpuServer = 0;
    let cpuAgent = 0;
    let cpuLibvirtd = 0;
    const upload = async () => {
      const agents = agentPids();
      const before = { s: cpuOf([serverPid]), a: cpuOf(agents), l: cpuOf(libvirtd) };
      const t = performance.now();
      const r = await post(url, admin.cookie, src);
      execFileSync("sync");
      const s = (performance.now() - t) / 1000;
      if (r.status !== 201) throw new Error(`upload answered ${r.status}: ${r.body}`);
      cpuServer += cpuOf([serverPid]) - before.s;
      cpuAgent += cpuOf(agents) - before.a;
      cpuLibvirtd += cpuOf(libvirtd) - before.l;
      up.push(s);
      virsh("vol-delete", "--pool", POOL, "bench.img");
    };
    const copyOnce = () => {
      const t = performance.now();
      execFileSync("cp", [src, copy]);
      execFileSync("sync");
      cp.push((performance.now() - t) / 1000);
      fs.rmSync(copy);
    };
    // Warm-up (not counted): page cache holds the source from here on for both.
    copyOnce();
    cp.length = 0;
    for (let i = 0; i < ROUNDS; i++) {
      if (i % 2 === 0) {
        await upload();
        copyOnce();
        await direct();
      } else {
        await direct();
        copyOnce();
        await upload();
      }
    }
    await lv.close();
    const med = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]!;
    for (let i = 0; i < ROUNDS; i++)
      console.log(
        `round ${i + 1}: upload ${mbps(BYTES, up[i]!).toFixed(0)} MB/s, cp ${mbps(BYTES, cp[i]!).toFixed(0)} MB/s, libvirt stream direct ${mbps(BYTES, rpc[i]!).toFixed(0)} MB/s`,
      );
    const u = mbps(BYTES, med(up));
    const c = mbps(BYTES, med(cp));
    console.log(`upload through server+agent+libvirt (median, incl. sync): ${u.toFixed(0)} MB/s`);
    console.log(`cp on the same disk (median, incl. sync):                 ${c.toFixed(0)} MB/s`);
    const d = mbps(BYTES, med(rpc));
    console.log(`libvirt upload stream fed from the file directly (median):  ${d.toFixed(0)} MB/s`);
    console.log(
      `ratio upload / cp: ${(u / c).toFixed(2)}× (goal ≥ 0.5×); direct libvirt stream / cp: ${(d / c).toFixed(2)}×; upload / direct: ${(u / d).toFixed(2)}×`,
    );
    const gib = (BYTES * ROUNDS) / GiB;
    console.log(
      `CPU s per GiB uploaded: server ${(cpuServer / gib).toFixed(2)}, agent ${(cpuAgent / gib).toFixed(2)}, libvirtd ${(cpuLibvirtd / gib).toFixed(2)}`,
    );
  } finally {
    await srv.stop();
    try {
      virsh("pool-destroy", POOL);
    } catch {
      /* not active */
    }
    fs.rmSync(root, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
