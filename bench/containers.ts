// Benchmark (issue 7): the list of 200 containers through agent → server → REST, against
// a direct call to the engine's API (GET /containers/json?all=1 on Podman's socket) in the
// same run; plus how long a full re-list through the agent takes (what a resync costs).
// Run: npx tsx bench/containers.ts   (after npm run build and scripts/lab/podman-up.sh)
import http from "node:http";
import os from "node:os";
import { startWithAdmin } from "../tests/helpers/server";
import { until } from "../tests/helpers/lab";
import { pct, summary } from "./stats";

const N = Number(process.env.BENCH_CONTAINERS ?? 200);
const SOCKET = process.env.HANGAR_PODMAN_SOCKET ?? "/run/podman/podman.sock";
const PREFIX = "hangar-bench-";

function engine(method: string, path: string, body?: unknown): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { socketPath: SOCKET, path: `/v1.41${path}`, method, headers: body ? { "content-type": "application/json" } : {} },
      (res) => {
        let text = "";
        res.on("data", (d: Buffer) => (text += d.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on("error", reject);
    req.end(body ? JSON.stringify(body) : undefined);
  });
}

async function removeAll(): Promise<void> {
  const list = JSON.parse((await engine("GET", "/containers/json?all=1")).text) as { Id: string; Names: string[] }[];
  const mine = list.filter((c) => c.Names.some((n) => n.replace(/^\//, "").startsWith(PREFIX)));
  for (let i = 0; i < mine.length; i += 20) await Promise.all(mine.slice(i, i + 20).map((c) => engine("DELETE", `/containers/${c.Id}?force=true`)));
}

async function main() {
  console.log(`# containers benchmark, ${N} containers on Podman, ${os.cpus().length} cores`);
  await removeAll();
  const t0 = performance.now();
  for (let i = 0; i < N; i += 10) {
    await Promise.all(
      Array.from({ length: Math.min(10, N - i) }, (_, j) =>
        engine("POST", `/containers/create?name=${PREFIX}${i + j}`, { Image: "localhost/hangar-busybox:latest", Cmd: ["sleep", "600"] }),
      ),
    );
  }
  console.log(`created ${N} containers (not started) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const { srv, admin } = await startWithAdmin({ HANGAR_LOCAL_AGENT: "1", HANGAR_CONTAINER_SOCKET: SOCKET });
  try {
    await until("inventory", async () => (await admin.req("GET", "/api/containers")).json.total >= N, 60_000, 200);
    const direct: number[] = [];
    const rest: number[] = [];
    for (let i = 0; i < 60; i++) {
      let t = performance.now();
      const d = await engine("GET", "/containers/json?all=1");
      direct.push(performance.now() - t);
      if ((JSON.parse(d.text) as unknown[]).length < N) throw new Error("engine list shrank");
      t = performance.now();
      const r = await admin.req("GET", "/api/containers");
      rest.push(performance.now() - t);
      if (r.json.total < N) throw new Error("REST list shrank");
    }
    const d = direct.slice(10);
    const r = rest.slice(10);
    console.log(summary(`direct engine API GET /containers/json?all=1 (${N})`, d));
    console.log(summary(`Hangar REST GET /api/containers (${N}, pushed inventory)`, r));
    console.log(`ratio REST p50 / direct p50: ${(pct(r, 50) / pct(d, 50)).toFixed(2)}; p95: ${(pct(r, 95) / pct(d, 95)).toFixed(2)}`);
    // A change made behind Hangar's back: time until the REST list shows it.
    const t = performance.now();
    await engine("POST", `/containers/create?name=${PREFIX}late`, { Image: "localhost/hangar-busybox:latest", Cmd: ["sleep", "600"] });
    await until(
      "pushed",
      async () => (await admin.req("GET", "/api/containers")).json.rows.some((c: { name: string }) => c.name === `${PREFIX}late`),
      15_000,
      5,
    );
    console.log(`engine create → visible in REST: ${(performance.now() - t).toFixed(0)} ms (create call included)`);
  } finally {
    await srv.stop();
    await removeAll();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
