// Benchmark (issue 17, part 4): the bytes a browser reconnect costs at 1,000 VMs.
//  BEFORE: what the client did on every reconnect until resume existed: a fresh socket
//          (hello) and a refetch of everything the machines page holds (GET /api/machines,
//          /api/hosts, /api/tasks, /api/dashboard, /api/containers), measured on the wire
//          without and with compression.
//  AFTER:  a reconnect with ?resume=<epoch>:<seq>: the 101 response, hello and the events
//          missed while the socket was closed, for 0, 10, 100 (and 1,000) VMs changed behind
//          Hangar's back (libvirt RPC on the benchmark's own connection, as virsh would).
// The 1,000 domains live in libvirt's shared test:///default (see test-domains.ts: a test
// node file would give every connection its own private copy, invisible to the agent).
// Run: flock /tmp/hangar-lab.lock npx tsx bench/reconnect-bytes.ts   (after npm run build)
import os from "node:os";
import zlib from "node:zlib";
import { startWithAdmin, type Client } from "../tests/helpers/server";
import { until } from "../tests/helpers/lab";
import { domainResume, domainSuspend } from "../server/agent/libvirt";
import type { MachineRow } from "../server/protocol/browser-events";
import { DefaultFleet, uuidOf } from "./test-domains";
import { LiveClient, rowKey } from "./live-client";
import { wireGet, type WireGet } from "./http-bytes";

const N = Number(process.env.BENCH_DOMAINS ?? 1000);
const CHANGES = (process.env.RB_CHANGES ?? "0,10,100,1000").split(",").map(Number);
/** Tasks made through the REST API first, so /api/tasks holds what a used fleet shows (it returns 200). */
const TASKS = Number(process.env.RB_TASKS ?? 200);
const PREFIX = "rb-";
const UUIDS = "00000000-0000-4000-9000-";
const PAGE = ["/api/machines", "/api/hosts", "/api/tasks", "/api/dashboard", "/api/containers"];
const ENCODINGS = ["identity", "gzip, deflate, br"];

const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

/**
 * What these messages would take with permessage-deflate (RFC 7692, as `ws` does it when
 * enabled: one raw-deflate context per connection, kept across messages, each message
 * sync-flushed and its trailing 00 00 ff ff dropped). The server does not offer it today.
 */
async function deflatedBytes(messages: string[]): Promise<number> {
  const z = zlib.createDeflateRaw({ windowBits: 15, memLevel: 8 });
  let out = 0;
  z.on("data", (d: Buffer) => (out += d.length));
  for (const m of messages) {
    z.write(m);
    await new Promise<void>((r) => z.flush(zlib.constants.Z_SYNC_FLUSH, () => r()));
    out -= 4;
  }
  z.close();
  return out;
}

async function act(admin: Client, observer: LiveClient, hostId: string, uuid: string, action: string): Promise<void> {
  const r = await admin.req("POST", `/api/machines/${hostId}/${uuid}/actions`, { action });
  if (r.status !== 200 && r.status !== 202) throw new Error(`${action} ${uuid}: ${r.status} ${JSON.stringify(r.json)}`);
  await until(
    `task ${r.json.task.id}`,
    () => ["succeeded", "failed", "unknown"].includes(observer.tasks.get(r.json.task.id)?.status ?? ""),
    30_000,
    10,
  );
}

/** Waits until nothing new arrives for `quietMs` on `c`. */
async function quiet(c: LiveClient, quietMs = 500): Promise<void> {
  let last = c.lastSeq;
  let since = Date.now();
  await until(
    "quiet",
    () => {
      if (c.lastSeq !== last) [last, since] = [c.lastSeq, Date.now()];
      return Date.now() - since >= quietMs;
    },
    60_000,
    50,
  );
}

async function main() {
  console.log(`# reconnect bytes, ${N} domains (libvirt test driver, test:///default via libvirtd), ${os.cpus().length} cores`);
  const fleet = await DefaultFleet.create(N, PREFIX, UUIDS);
  const { srv, admin } = await startWithAdmin({ HANGAR_LOCAL_AGENT: "1", HANGAR_LIBVIRT_URI: DefaultFleet.URI });
  try {
    const rows = await until(
      "inventory",
      async () => {
        const r = (await admin.req("GET", "/api/machines")).json as { rows: MachineRow[] };
        const ours = r.rows.filter((m) => m.name.startsWith(PREFIX) && m.state === "running");
        return ours.length >= N ? ours : null;
      },
      120_000,
      250,
    );
    const hostId = rows[0]!.hostId;
    const observer = new LiveClient(srv.url, admin.cookie);
    await observer.connect();
    observer.seed(rows);
    for (let i = 0; i < TASKS; i++) await act(admin, observer, hostId, uuidOf(N - 1 - (Math.floor(i / 2) % N), UUIDS), i % 2 ? "resume" : "suspend");
    await quiet(observer);

    // BEFORE: a fresh socket's hello, then the page's refetch.
    const fresh = new LiveClient(srv.url, admin.cookie);
    await fresh.connect();
    await new Promise((r) => setTimeout(r, 200));
    const helloBytes = fresh.bytesRead;
    await fresh.close();
    const before: Record<string, WireGet[]> = {};
    console.log(`\nBEFORE: refetch of the machines page (response bytes on the wire, headers included)`);
    console.log(
      `${"request".padEnd(18)} ${ENCODINGS.map((e) => `${e === "identity" ? "uncompressed" : "Accept-Encoding: gzip, deflate, br"}`.padStart(36)).join("")}`,
    );
    for (const enc of ENCODINGS) before[enc] = [];
    for (const p of PAGE) {
      const cells: string[] = [];
      for (const enc of ENCODINGS) {
        const g = await wireGet(srv.url, p, admin.cookie, enc);
        if (g.status !== 200) throw new Error(`GET ${p}: ${g.status}`);
        before[enc]!.push(g);
        cells.push(`${kib(g.wireBytes)} (${g.encoding}, ${g.ms.toFixed(0)} ms)`.padStart(36));
      }
      console.log(`${p.padEnd(18)} ${cells.join("")}`);
    }
    const total = (enc: string) => helloBytes + before[enc]!.reduce((s, g) => s + g.wireBytes, 0);
    const ms = (enc: string) => before[enc]!.reduce((s, g) => s + g.ms, 0);
    console.log(`${"socket 101 + hello".padEnd(18)} ${ENCODINGS.map(() => kib(helloBytes).padStart(36)).join("")}`);
    console.log(`${"total".padEnd(18)} ${ENCODINGS.map((e) => `${kib(total(e))} (${ms(e).toFixed(0)} ms of requests)`.padStart(36)).join("")}`);

    // AFTER: one client closes, k VMs change, it resumes.
    const types = new Map<string, number>();
    const frames: string[] = [];
    const client = new LiveClient(srv.url, admin.cookie, {
      onEvent: (e) => e.type !== "hello" && types.set(e.type, (types.get(e.type) ?? 0) + 1),
      onFrame: (raw) => frames.push(raw),
    });
    await client.connect();
    client.seed(rows);
    await quiet(client);
    const paused = new Set<number>();
    let offset = 0;
    const results: { k: number; bytes: number; deflated: number; events: number; types: string; ms: number }[] = [];
    for (const k of CHANGES) {
      await client.close();
      const changed: { key: string; state: string }[] = [];
      // k distinct domains toggled running ↔ paused, behind Hangar's back.
      await Promise.all(
        Array.from({ length: k }, async (_, j) => {
          const i = (offset + j) % N;
          const d = fleet.doms[i]!;
          if (paused.has(i)) {
            await domainResume(fleet.lv, d);
            paused.delete(i);
            changed.push({ key: rowKey(hostId, d.uuid), state: "running" });
          } else {
            await domainSuspend(fleet.lv, d);
            paused.add(i);
            changed.push({ key: rowKey(hostId, d.uuid), state: "paused" });
          }
        }),
      );
      offset += k;
      await until(`${k} changes seen live`, () => changed.every((c) => observer.machines.get(c.key)?.state === c.state), 60_000, 20);
      await quiet(observer);
      const target = observer.lastSeq;
      types.clear();
      frames.length = 0;
      const t0 = performance.now();
      const hello = await client.connect();
      await until("missed events", () => client.lastSeq >= target, 60_000, 5);
      const elapsed = performance.now() - t0;
      const bytes = client.bytesRead;
      for (const c of changed) if (client.machines.get(c.key)?.state !== c.state) throw new Error(`resumed client missed ${c.key} → ${c.state}`);
      const payload = frames.reduce((s, f) => s + Buffer.byteLength(f), 0);
      results.push({
        k,
        bytes,
        deflated: bytes - payload + (await deflatedBytes(frames)),
        events: target - hello.seq,
        types: [...types].map(([t, n]) => `${n} ${t}`).join(", ") || "none",
        ms: elapsed,
      });
      if (client.problems.length) throw new Error(`sequence problems: ${JSON.stringify(client.problems.slice(0, 5))}`);
    }
    await client.close();

    console.log(
      `\nAFTER: reconnect with ?resume= (101 response + hello + missed events; frames are uncompressed: the server offers no permessage-deflate; "if deflated" estimates it)`,
    );
    console.log(
      `${"VMs changed".padEnd(12)} ${"events".padStart(7)} ${"bytes".padStart(12)} ${"time".padStart(9)} ${"BEFORE/AFTER uncompressed".padStart(27)} ${"BEFORE gzip/AFTER".padStart(19)} ${"AFTER if deflated".padStart(19)} ${"BEFORE gzip/that".padStart(18)}`,
    );
    for (const r of results) {
      console.log(
        `${String(r.k).padEnd(12)} ${String(r.events).padStart(7)} ${kib(r.bytes).padStart(12)} ${`${r.ms.toFixed(0)} ms`.padStart(9)} ${`${(total("identity") / r.bytes).toFixed(1)}x`.padStart(27)} ${`${(total(ENCODINGS[1]!) / r.bytes).toFixed(1)}x`.padStart(19)} ${kib(r.deflated).padStart(19)} ${`${(total(ENCODINGS[1]!) / r.deflated).toFixed(1)}x`.padStart(18)}  (${r.types})`,
      );
    }
    const avg = results.filter((r) => r.events > 0).map((r) => (r.bytes - results[0]!.bytes) / r.events);
    if (avg.length) console.log(`bytes per missed event: ${avg.map((b) => b.toFixed(0)).join(", ")} (a machine.upsert row of this fleet)`);
    if (observer.problems.length) throw new Error(`observer sequence problems: ${JSON.stringify(observer.problems.slice(0, 5))}`);
    await observer.close();
  } finally {
    await srv.stop();
    await fleet.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
