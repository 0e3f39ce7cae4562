// Benchmark (issue 14): the cost of the scope check on the event fan-out. In one process,
// as /ws/events wires it: the real EventBus, AccessService (fed from memory instead of the
// database), AudienceFilter and eventForwarder, and 50 real websockets (ws, loopback) whose
// far ends live in a child process that only discards. 1,000 VMs on 4 hosts; every event is
// a machine.upsert of a realistic row. Three kinds of users, in alternating rounds:
//   unscoped   - 50 fleet-wide viewers (the fast path: one Set lookup per event);
//   scoped     - 50 users with no fleet-wide role, each seeing ~20 VMs (viewer on a tag that
//                10 VMs carry, plus 10 VMs by UUID): they are sent ~2 % of the events;
//   scoped-all - 50 users with no fleet-wide role who see every VM through a tag: the full
//                check on every event AND every event sent, i.e. the check's own cost.
// Printed per kind (medians over rounds): events/s published, server CPU µs per event per
// socket (process.cpuUsage: filter + ws framing + socket writes), and the ratio to unscoped
// (goal ≤ 1.3×). Then the check alone: ns per admits() call.
// Measured 2026-12-04 (2 shared cores, 5 rounds × 5,000 events, medians): unscoped 3.55 µs,
// scoped 0.37 µs (0.10×: 100 of 5,000 events sent per socket), scoped-all 3.86 µs (1.09×);
// the check alone 63 / 129 / 116 ns per event per socket.
// Run: npx tsx bench/scope-fanout.ts   (no lab needed)
//   BENCH_ROUNDS=5 rounds per kind; BENCH_EVENTS=5000 events per round.
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import { WebSocketServer, type WebSocket } from "ws";
import { AccessService } from "../server/web/auth/access";
import type { Db } from "../server/web/db/client";
import { EventBus } from "../server/web/events/bus";
import { AudienceFilter, audienceOf, type AudienceContext } from "../server/web/events/audience";
import { eventForwarder } from "../server/web/ws/event-forwarder";
import type { MachineRow } from "../server/protocol/browser-events";
import { pct } from "./stats";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 5000);
const VMS = 1000;
const SOCKETS = 50;
const HOSTS = ["host-a", "host-b", "host-c", "host-d"];
type Kind = "unscoped" | "scoped" | "scoped-all";
const KINDS: Kind[] = ["unscoped", "scoped", "scoped-all"];

const vms = Array.from({ length: VMS }, (_, i) => ({ uuid: randomUUID() as string, hostId: HOSTS[i % HOSTS.length]!, i }));

function row(vm: (typeof vms)[number], n: number): MachineRow {
  return {
    uuid: vm.uuid,
    name: `web-${String(vm.i).padStart(4, "0")}`,
    state: n % 2 ? "running" : "shutoff",
    vcpus: 2,
    memoryKiB: 2097152,
    hostId: vm.hostId,
    hostName: vm.hostId,
    stale: false,
    observedAt: new Date().toISOString(),
    autostart: false,
    persistent: true,
    osType: "hvm",
    arch: "x86_64",
    graphics: [{ type: "vnc", port: 5900 + (vm.i % 100), listen: "127.0.0.1" }],
    serials: [{ type: "pty" }],
    disks: [{ target: "vda", source: `/var/lib/libvirt/images/web-${vm.i}.qcow2`, bus: "virtio", device: "disk" }],
    nics: [{ mac: "52:54:00:12:34:56", network: "default", model: "virtio" }],
  } as unknown as MachineRow;
}

/** The rights, as the database would hold them: tags on every VM, assignments per scoped user. */
function accessFromMemory(): AccessService {
  const tags: { targetType: string; hostId: string; targetId: string; tag: string }[] = [];
  for (const vm of vms) {
    tags.push({ targetType: "vm", hostId: vm.hostId, targetId: vm.uuid, tag: `team-${vm.i % 100}` });
    // Sorts after team-*: a scoped-all user's check walks both tags of every VM.
    tags.push({ targetType: "vm", hostId: vm.hostId, targetId: vm.uuid, tag: "zz-all" });
  }
  tags.sort((a, b) => a.tag.localeCompare(b.tag));
  const assignments: { userId: string | null; groupId: string | null; role: string; scopeType: string; scopeId: string }[] = [];
  for (let k = 0; k < SOCKETS; k++) {
    assignments.push({ userId: `scoped-${k}`, groupId: null, role: "viewer", scopeType: "tag", scopeId: `team-${k}` });
    for (let j = 0; j < 10; j++)
      assignments.push({ userId: `scoped-${k}`, groupId: null, role: "viewer", scopeType: "vm", scopeId: vms[(k * 10 + j + 500) % VMS]!.uuid });
    assignments.push({ userId: `all-${k}`, groupId: null, role: "viewer", scopeType: "tag", scopeId: "zz-all" });
  }
  const table = <T>(rows: T[]) => ({ findMany: () => Promise.resolve(rows) });
  const db = { roleAssignment: table(assignments), groupMember: table([]), customRole: table([]), resourceTag: table(tags) };
  return new AccessService(db as unknown as Db);
}

const viewerOf = (kind: Kind, k: number) =>
  kind === "unscoped"
    ? { id: `viewer-${k}`, role: "viewer" }
    : kind === "scoped"
      ? { id: `scoped-${k}`, role: "none" }
      : { id: `all-${k}`, role: "none" };

/** 50 server-side websockets; their clients run in a child process that reads and drops. */
async function sockets(): Promise<{ list: WebSocket[]; stop: () => void }> {
  const wss = new WebSocketServer({ port: 0, host: "127.0.0.1" });
  await new Promise((r) => wss.once("listening", r));
  const port = (wss.address() as AddressInfo).port;
  const list: WebSocket[] = [];
  const all = new Promise<void>((resolve) =>
    wss.on("connection", (ws) => {
      list.push(ws);
      if (list.length === SOCKETS) resolve();
    }),
  );
  const sink = `const W=require("ws");for(let i=0;i<${SOCKETS};i++){const w=new W("ws://127.0.0.1:${port}/");w.on("message",()=>{});}`;
  const child = spawn(process.execPath, ["-e", sink], { cwd: process.cwd(), stdio: "inherit" });
  await all;
  return {
    list,
    stop: () => {
      child.kill();
      wss.close();
    },
  };
}

const drained = (list: WebSocket[], below: number) => list.every((ws) => ws.bufferedAmount <= below);
async function waitDrained(list: WebSocket[], below: number): Promise<void> {
  while (!drained(list, below)) await new Promise((r) => setTimeout(r, 1));
}

interface Round {
  kind: Kind;
  eventsPerSec: number;
  cpuUsPerEventSocket: number;
  sentPerSocket: number;
}

async function round(kind: Kind, bus: EventBus, ctx: AudienceContext, list: WebSocket[], from: number): Promise<Round> {
  let sent = 0;
  const unsubscribe = list.map((ws, k) => {
    const sendRaw = (raw: string) => {
      // As events-socket: a reader past 4 MiB behind is cut (it never happens here: paced).
      if (ws.bufferedAmount > 4 * 1024 * 1024) return ws.terminate();
      sent++;
      ws.send(raw);
    };
    return bus.subscribe(eventForwarder(new AudienceFilter(ctx, viewerOf(kind, k)), sendRaw, bus.lastSeq));
  });
  const payloads = Array.from({ length: EVENTS }, (_, n) => ({ type: "machine.upsert" as const, machine: row(vms[(from + n) % VMS]!, n) }));
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let n = 0; n < EVENTS; n++) {
    bus.publish(payloads[n]!);
    // Paced like a live stream: the kernel takes what was written before more is queued.
    if (n % 50 === 49) await waitDrained(list, 256 * 1024);
  }
  await waitDrained(list, 0);
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  for (const u of unsubscribe) u();
  return {
    kind,
    eventsPerSec: EVENTS / (wallMs / 1000),
    cpuUsPerEventSocket: (cpu.user + cpu.system) / (EVENTS * SOCKETS),
    sentPerSocket: sent / SOCKETS,
  };
}

/** The check alone: admits() for every socket of a kind over the same events, ns per call. */
function checkOnly(kind: Kind, ctx: AudienceContext, bus: EventBus): number {
  const filters = Array.from({ length: SOCKETS }, (_, k) => new AudienceFilter(ctx, viewerOf(kind, k)));
  const audiences = vms.map((vm) => audienceOf({ type: "machine.upsert", seq: 0, machine: row(vm, bus.lastSeq) }));
  let admitted = 0;
  const reps = 20;
  const t0 = performance.now();
  for (let r = 0; r < reps; r++) for (const a of audiences) for (const f of filters) if (f.admits(a)) admitted++;
  const ns = ((performance.now() - t0) * 1e6) / (reps * audiences.length * filters.length);
  if (!admitted && kind !== "scoped") throw new Error("nothing admitted");
  return ns;
}

async function main(): Promise<void> {
  const access = accessFromMemory();
  await access.load();
  const placement = new Map(vms.map((vm) => [vm.uuid, vm.hostId]));
  const ctx: AudienceContext = { access, vmOnHost: (hostId, uuid) => placement.get(uuid) === hostId };
  // A window as in production: replay keeps what it keeps, the fan-out is the same.
  const bus = new EventBus();
  const { list, stop } = await sockets();
  console.log(`[scope-fanout] ${VMS} VMs, ${SOCKETS} sockets, ${EVENTS} events per round, ${ROUNDS} rounds per kind (alternating)`);
  // One warm-up round each (JIT, socket buffers), not counted.
  for (const kind of KINDS) await round(kind, bus, ctx, list, 0);
  const results: Round[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    for (const kind of KINDS) {
      const x = await round(kind, bus, ctx, list, r * 7919);
      results.push(x);
      console.log(
        `  round ${r + 1} ${kind.padEnd(10)} ${x.eventsPerSec.toFixed(0).padStart(7)} events/s, ${x.cpuUsPerEventSocket.toFixed(3)} µs CPU per event per socket, ${x.sentPerSocket.toFixed(0)} sent per socket`,
      );
    }
  }
  stop();
  const med = (kind: Kind, f: (x: Round) => number) => pct(results.filter((x) => x.kind === kind).map(f), 50);
  const base = med("unscoped", (x) => x.cpuUsPerEventSocket);
  console.log("[scope-fanout] medians:");
  for (const kind of KINDS) {
    const c = med(kind, (x) => x.cpuUsPerEventSocket);
    console.log(
      `  ${kind.padEnd(10)} ${med(kind, (x) => x.eventsPerSec)
        .toFixed(0)
        .padStart(7)} events/s, ${c.toFixed(3)} µs CPU per event per socket, ` +
        `${med(kind, (x) => x.sentPerSocket).toFixed(0)} of ${EVENTS} sent per socket, ${(c / base).toFixed(2)}× unscoped`,
    );
  }
  const check = Object.fromEntries(KINDS.map((k) => [k, checkOnly(k, ctx, bus)]));
  console.log(`[scope-fanout] the check alone (admits per event per socket): ${KINDS.map((k) => `${k} ${check[k]!.toFixed(1)} ns`).join(", ")}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
