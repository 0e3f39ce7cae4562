// Benchmark (a): libvirt event → browser cache update, for every kind of change. Changes
// are made through libvirt's RPC behind Hangar's back (as virsh or another tool would):
// define, start, suspend, resume, metadata (virsh desc), destroy, redefine (virsh edit),
// undefine on cheap diskless test domains, and ACPI shutdown on the tiny real guest. Each
// change travels libvirtd → agent → server → /ws/events → the React Query cache in
// Chromium, where the page stamps the moment it applied the event.
// Baseline in the same run: the same change seen by a direct libvirt event subscriber
// (what libvirt itself costs); latencies are from that event. Split points: a Node
// /ws/events client (agent + server) and the page (browser). CPU per event is read from
// /proc for the agent, the server and Chromium, idle use subtracted.
// Run: npx tsx bench/event-latency.ts   (after npm run build and scripts/lab/test-services-up.sh)
//   BENCH_EVENTS=20 rounds per kind; BENCH_SHUTDOWNS=20 ACPI shutdowns (each boots the guest).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, type Page } from "@playwright/test";
import { startWithAdmin } from "../tests/helpers/server";
import { EventRecorder } from "../tests/helpers/events";
import { ensureOff, guestReady, LAB_DIR, until, virsh } from "../tests/helpers/lab";
import {
  LibvirtClient,
  domainCreate,
  domainDefineXml,
  domainDestroy,
  domainLookupByName,
  domainResume,
  domainSetMetadata,
  domainShutdown,
  domainSuspend,
  domainUndefine,
  type DomainRef,
} from "../server/agent/libvirt";
import { AffectFlags, DomainEventId, MetadataType } from "../server/agent/libvirt/procedures";
import { createLibvirtDriver } from "../server/agent/drivers/libvirt/libvirt-driver";
import { cpuOf, pidsByName, tree } from "./proc-cpu";
import { pct } from "./stats";

const ROUNDS = Number(process.env.BENCH_EVENTS ?? 20);
const SHUTDOWNS = Number(process.env.BENCH_SHUTDOWNS ?? 20);
// Diagnosis: a second copy of the agent's libvirt driver in this process shows how much of
// the time is the agent's own reading of libvirt (it doubles libvirtd's work per event).
const SPLIT = process.env.BENCH_SPLIT === "1";
// Extra shut-off domains defined for the run, as on a host with a large fleet (issue 19 saw
// its figures with 1,002 VMs): per-event work that grows with the host shows here.
const FLEET = Number(process.env.BENCH_FLEET ?? 0);
const GUEST = "hangar-test-2";
const PREFIX = `hangar-evbench-${process.pid}`;
const WAIT_MS = 5000;
// Quiet time after each change before the next, so that each is measured on its own and its
// trailing work (rendering, a second refresh) is counted in its CPU, not the next one's.
const GAP_MS = Number(process.env.BENCH_GAP_MS ?? 150);
const now = () => performance.timeOrigin + performance.now();

type Kind = "define" | "start" | "suspend" | "resume" | "metadata" | "destroy" | "redefine" | "undefine" | "shutdown";
const KINDS: Kind[] = ["define", "start", "suspend", "resume", "shutdown", "destroy", "undefine", "metadata", "redefine"];

/** What the page (or the Node events client) saw: one machine.* event. */
interface Seen {
  at: number;
  type: string;
  name?: string;
  uuid: string;
  state?: string;
  memoryKiB?: number;
}

interface Sample {
  kind: Kind;
  lv: number;
  ws: number | null;
  br: number | null;
  drv: number | null;
  /** CPU ms in the sample's window, by process group. */
  cpu: Record<string, number>;
  windowMs: number;
}

const virtType = () => {
  const f = path.join(LAB_DIR, "guest-virt-type");
  return fs.existsSync(f) ? fs.readFileSync(f, "utf8").trim() : "qemu";
};

const comm = (pid: number) => {
  try {
    return fs.readFileSync(`/proc/${pid}/comm`, "utf8").trim();
  } catch {
    return "";
  }
};

function domainXml(name: string, memMiB: number, uuid?: string): string {
  return `<domain type='${virtType()}'><name>${name}</name>${uuid ? `<uuid>${uuid}</uuid>` : ""}<memory unit='MiB'>${memMiB}</memory><vcpu>1</vcpu><os><type arch='x86_64'>hvm</type></os><devices><graphics type='vnc' listen='127.0.0.1'/></devices></domain>`;
}

async function main() {
  ensureOff(GUEST);
  const lv = new LibvirtClient();
  await lv.connect("qemu:///system");
  const fleet: DomainRef[] = [];
  try {
    for (let i = 0; i < FLEET; i += 50) {
      const batch = Array.from({ length: Math.min(50, FLEET - i) }, (_, k) => domainDefineXml(lv, domainXml(`${PREFIX}-fleet-${i + k}`, 32)));
      fleet.push(...(await Promise.all(batch)));
    }
    await run(lv);
  } finally {
    for (let i = 0; i < fleet.length; i += 50) await Promise.all(fleet.slice(i, i + 50).map((d) => domainUndefine(lv, d).catch(() => undefined)));
    await lv.close();
  }
}

async function run(lv: LibvirtClient) {
  const { srv, admin } = await startWithAdmin({ HANGAR_LOCAL_AGENT: "1" });
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  const made: string[] = [];
  try {
    const ctx = await browser.newContext();
    const [cname, cvalue] = admin.cookie.split("=");
    await ctx.addCookies([{ name: cname!, value: cvalue!, url: srv.url }]);
    const page = await ctx.newPage();
    const brSeen: Seen[] = [];
    // The page pushes what it applied; no polling over the DevTools protocol.
    await page.exposeFunction("__benchSeen", (s: Seen) => void brSeen.push(s));
    await page.addInitScript(() => {
      window.addEventListener("hangar:event", (e) => {
        const d = (e as CustomEvent).detail as {
          type: string;
          uuid?: string;
          machine?: { name: string; uuid: string; state: string; memoryKiB: number };
        };
        if (d.type !== "machine.upsert" && d.type !== "machine.remove") return;
        const at = performance.timeOrigin + performance.now();
        const m = d.machine;
        (window as unknown as { __benchSeen: (s: unknown) => void }).__benchSeen({
          at,
          type: d.type,
          name: m?.name,
          uuid: m?.uuid ?? d.uuid,
          state: m?.state,
          memoryKiB: m?.memoryKiB,
        });
      });
    });
    await until(
      "guest and fleet listed",
      async () => {
        const rows = (await admin.req("GET", "/api/machines")).json.rows as { name: string }[];
        return rows.some((r) => r.name === GUEST) && rows.length >= FLEET;
      },
      120_000,
      250,
    );
    await page.goto(`${srv.url}/machines`);
    await page.waitForSelector('[data-testid="live-status"][data-state="live"]');
    const offset = await clockOffset(page);

    const ev = await EventRecorder.open(srv.url, admin.cookie);
    const wsSeen = (from: number): Seen[] =>
      ev.events.slice(from).flatMap((e): Seen[] => {
        if (e.type === "machine.upsert")
          return [
            { at: e.receivedAt, type: e.type, name: e.machine.name, uuid: e.machine.uuid, state: e.machine.state, memoryKiB: e.machine.memoryKiB },
          ];
        if (e.type === "machine.remove") return [{ at: e.receivedAt, type: e.type, uuid: e.uuid }];
        return [];
      });

    const direct: { at: number; name: string; kind: string }[] = [];
    const lifecycle = ["defined", "undefined", "started", "suspended", "resumed", "stopped", "shutdown"];
    lv.on("lifecycle", (e) => direct.push({ at: now(), name: e.dom.name, kind: lifecycle[e.event] ?? String(e.event) }));
    lv.on("metadata-change", (e) => direct.push({ at: now(), name: e.dom.name, kind: "metadata" }));
    await lv.registerDomainEvent(DomainEventId.LIFECYCLE);
    await lv.registerDomainEvent(DomainEventId.METADATA_CHANGE);
    const drvSeen: Seen[] = [];
    const drv = SPLIT ? createLibvirtDriver({ uri: "qemu:///system", socketPath: null, log: () => undefined }) : null;
    drv?.onEvent((e) => {
      if (e.kind === "domain.changed")
        drvSeen.push({
          at: now(),
          type: "machine.upsert",
          name: e.domain.name,
          uuid: e.domain.uuid,
          state: e.domain.state,
          memoryKiB: e.domain.memoryKiB,
        });
      if (e.kind === "domain.removed") drvSeen.push({ at: now(), type: "machine.remove", uuid: e.uuid });
    });
    await drv?.start();

    // Processes whose CPU is counted, and their idle use (metrics ticks, heartbeats).
    const srvTree = tree(srv.proc.pid!);
    const agentPids = srvTree.filter((p) => {
      try {
        return fs.readFileSync(`/proc/${p}/cmdline`, "utf8").includes("agent.mjs");
      } catch {
        return false;
      }
    });
    const groups: Record<string, number[]> = {
      agent: agentPids.flatMap(tree),
      server: [srv.proc.pid!],
      chromium: tree(process.pid).filter((p) => !srvTree.includes(p) && comm(p).startsWith("chrom")),
      libvirtd: pidsByName("libvirtd"),
    };
    const cpuNow = () => Object.fromEntries(Object.entries(groups).map(([k, p]) => [k, cpuOf(p) * 1000]));
    // Idle use is measured once start-up work (the first inventory, page load) has settled.
    await new Promise((r) => setTimeout(r, 3000));
    const idle0 = cpuNow();
    const t0 = now();
    // Ten seconds: one coarse metrics tick of the agent, as in any ten seconds of the run.
    await new Promise((r) => setTimeout(r, 10_000));
    const idleMsPerMs = Object.fromEntries(Object.entries(cpuNow()).map(([k, v]) => [k, (v - idle0[k]!) / (now() - t0)]));

    const samples: Sample[] = [];
    const lost: Record<string, number> = {};
    /** One change: act, then wait for libvirt's event, the pushed row and the page. */
    const measure = async (kind: Kind, name: string, directKind: string, act: () => Promise<unknown>, match: (s: Seen) => boolean) => {
      const d0 = direct.length;
      const w0 = ev.mark;
      const b0 = brSeen.length;
      const r0 = drvSeen.length;
      const c0 = cpuNow();
      const start = now();
      await act();
      const d = await until(`${kind} event`, () => direct.slice(d0).find((x) => x.name === name && x.kind === directKind), 60_000, 1);
      const w = await until(`${kind} pushed`, () => wsSeen(w0).find(match), WAIT_MS, 1).catch(() => null);
      const b = await until(`${kind} in page`, () => brSeen.slice(b0).find(match), WAIT_MS, 1).catch(() => null);
      const r = SPLIT ? await until(`${kind} from driver`, () => drvSeen.slice(r0).find(match), WAIT_MS, 1).catch(() => null) : null;
      await new Promise((r) => setTimeout(r, GAP_MS));
      const c1 = cpuNow();
      const windowMs = now() - start;
      if (!w || !b) lost[kind] = (lost[kind] ?? 0) + 1;
      samples.push({
        kind,
        lv: d.at,
        ws: w ? w.at : null,
        br: b ? b.at - offset : null,
        drv: r ? r.at : null,
        windowMs,
        cpu: Object.fromEntries(Object.keys(c0).map((k) => [k, c1[k]! - c0[k]! - idleMsPerMs[k]! * windowMs])),
      });
    };

    console.log(
      `# event latency per kind: ${ROUNDS} rounds on diskless test domains, ${SHUTDOWNS} ACPI shutdowns of ${GUEST}, ${FLEET} extra shut-off domains, ${GAP_MS} ms between changes; ${os.cpus().length} cores, page clock offset ${offset.toFixed(2)} ms`,
    );
    for (let i = 0; i < ROUNDS; i++) {
      const name = `${PREFIX}-${i}`;
      made.push(name);
      let dom: DomainRef = { name, uuid: "", id: -1 };
      await measure(
        "define",
        name,
        "defined",
        async () => (dom = await domainDefineXml(lv, domainXml(name, 32))),
        (s) => s.type === "machine.upsert" && s.name === name,
      );
      await measure(
        "start",
        name,
        "started",
        () => domainCreate(lv, dom),
        (s) => s.name === name && s.state === "running",
      );
      await measure(
        "suspend",
        name,
        "suspended",
        () => domainSuspend(lv, dom),
        (s) => s.name === name && s.state === "paused",
      );
      await measure(
        "resume",
        name,
        "resumed",
        () => domainResume(lv, dom),
        (s) => s.name === name && s.state === "running",
      );
      await measure(
        "metadata",
        name,
        "metadata",
        () => domainSetMetadata(lv, dom, MetadataType.DESCRIPTION, `round ${i}`, null, null, AffectFlags.LIVE | AffectFlags.CONFIG),
        (s) => s.type === "machine.upsert" && s.name === name,
      );
      await measure(
        "destroy",
        name,
        "stopped",
        () => domainDestroy(lv, dom),
        (s) => s.name === name && s.state === "shutoff",
      );
      await measure(
        "redefine",
        name,
        "defined",
        () => domainDefineXml(lv, domainXml(name, 48, dom.uuid)),
        (s) => s.name === name && s.memoryKiB === 48 * 1024,
      );
      const uuid = dom.uuid;
      await measure(
        "undefine",
        name,
        "undefined",
        () => domainUndefine(lv, dom),
        (s) => s.type === "machine.remove" && s.uuid === uuid,
      );
    }
    const guest = await domainLookupByName(lv, GUEST);
    for (let i = 0; i < SHUTDOWNS; i++) {
      virsh("start", GUEST);
      // ACPI needs the guest's power-button handler, set up at the end of its boot.
      await until("guest ready for ACPI", () => guestReady(GUEST), 120_000, 250);
      await measure(
        "shutdown",
        GUEST,
        "stopped",
        () => domainShutdown(lv, guest),
        (s) => s.name === GUEST && s.state === "shutoff",
      );
    }
    report(samples, lost, idleMsPerMs);
    ev.close();
    await drv?.stop();
  } finally {
    await browser.close();
    await srv.stop();
    ensureOff(GUEST);
    for (const n of made) {
      ensureOff(n);
      try {
        virsh("undefine", n);
      } catch {
        /* already gone */
      }
    }
  }
}

/** Offset of the page's clock from ours, from the round trip with the smallest delay. */
async function clockOffset(page: Page): Promise<number> {
  let best = { rtt: Infinity, off: 0 };
  for (let i = 0; i < 20; i++) {
    const a = now();
    const p = await page.evaluate(() => performance.timeOrigin + performance.now());
    const b = now();
    if (b - a < best.rtt) best = { rtt: b - a, off: p - (a + b) / 2 };
  }
  return best.off;
}

function report(samples: Sample[], lost: Record<string, number>, idle: Record<string, number>): void {
  const f = (v: number) => v.toFixed(2).padStart(7);
  console.log(
    `idle CPU subtracted (ms per s): ${Object.entries(idle)
      .map(([k, v]) => `${k} ${(v * 1000).toFixed(1)}`)
      .join(", ")}`,
  );
  console.log(
    "kind        n   libvirt event → page (p50 / p95 ms)   → /ws/events client (p50 / p95)   CPU ms per event: agent  server  chromium  libvirtd",
  );
  for (const kind of KINDS) {
    const s = samples.filter((x) => x.kind === kind);
    if (!s.length) continue;
    const br = s.filter((x) => x.br !== null).map((x) => x.br! - x.lv);
    const ws = s.filter((x) => x.ws !== null).map((x) => x.ws! - x.lv);
    const cpu = (k: string) => s.reduce((a, x) => a + (x.cpu[k] ?? 0), 0) / s.length;
    const drv = s.filter((x) => x.drv !== null).map((x) => x.drv! - x.lv);
    const miss =
      (lost[kind] ? `  (${lost[kind]} not seen within ${WAIT_MS} ms)` : "") +
      (drv.length ? `  [driver alone p50 ${pct(drv, 50).toFixed(2)} / p95 ${pct(drv, 95).toFixed(2)}]` : "");
    console.log(
      `${kind.padEnd(10)} ${String(s.length).padStart(3)}   ${f(pct(br, 50))} / ${f(pct(br, 95))}                  ${f(pct(ws, 50))} / ${f(pct(ws, 95))}                ${f(cpu("agent"))} ${f(cpu("server"))} ${f(cpu("chromium"))} ${f(cpu("libvirtd"))}${miss}`,
    );
  }
  // The slowest samples, with where their time went and where in the wall-clock second
  // libvirt's event fell (the agent's metrics ticks run at the top of each second).
  const worst = samples
    .filter((x) => x.br !== null)
    .sort((a, b) => b.br! - b.lv - (a.br! - a.lv))
    .slice(0, 8);
  const rel = (v: number | null, x: Sample) => (v === null ? "-" : (v - x.lv).toFixed(1));
  console.log(
    `slowest: ${worst.map((x) => `${x.kind} ${rel(x.br, x)} ms (driver ${rel(x.drv, x)}, ws ${rel(x.ws, x)}, at +${(x.lv % 1000).toFixed(0)} ms in its second)`).join("; ")}`,
  );
  const all = samples.filter((x) => x.br !== null).map((x) => x.br! - x.lv);
  console.log(
    `all kinds: p50 ${pct(all, 50).toFixed(2)} ms, p95 ${pct(all, 95).toFixed(2)} ms from libvirt's event to the page (goal: p95 ≤ 20 ms per kind)`,
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
