// Benchmark: sign-in to the machines list at 1,000 VMs in Chromium. Each run is a fresh
// browser context (empty cache, no cookie) on /login?next=/machines: the time from the
// Enter key on the login form to the table counting all rows ("1000 of 1000"), the bytes
// the browser received until then (CDP Network: every response's encoded length, headers
// included, plus websocket frames), a breakdown of where that time went (from CDP's
// request timings), and CPU per sign-in of the server and of Chromium. Baseline in the
// same run: the list API alone, fetched warm by Node (what the network part cannot beat).
// The 1,000 domains are libvirt test-driver domains served by the real libvirtd to a real
// agent (as in bench/inventory.ts).
// Run: npx tsx bench/login-list.ts   (after npm run build and scripts/lab/test-services-up.sh)
// BENCH_DOMAINS (1000), BENCH_RUNS (5).
import fs from "node:fs";
import os from "node:os";
import { chromium, type Browser, type CDPSession } from "@playwright/test";
import { ADMIN, startWithAdmin } from "../tests/helpers/server";
import { until } from "../tests/helpers/lab";
import { cpuSeconds, pct, summary } from "./stats";
import { writeTestNode } from "./test-domains";

const N = Number(process.env.BENCH_DOMAINS ?? 1000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const CHROMIUM = process.env.HANGAR_CHROMIUM ?? "/usr/bin/chromium";
const ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

interface Req {
  url: string;
  type: string;
  /** Wall-clock ms (Date.now() scale) of the request's start, of its response headers and of its last byte. */
  start: number;
  headersAt: number | null;
  end: number | null;
  bytes: number;
  status: number | null;
  redirects: string[];
}

/** Every request and websocket frame of one page, on the wall clock, from CDP's Network domain. */
async function recordNetwork(cdp: CDPSession) {
  const reqs = new Map<string, Req>();
  const frames: { at: number; bytes: number }[] = [];
  // CDP stamps events with a monotonic clock (s); requestWillBeSent also gives the wall
  // time, which fixes the offset between the two.
  let offset = 0;
  const wall = (ts: number) => ts * 1000 + offset;
  cdp.on("Network.requestWillBeSent", (e) => {
    offset = e.wallTime * 1000 - e.timestamp * 1000;
    const known = reqs.get(e.requestId);
    if (known && e.redirectResponse) {
      // A redirect keeps the request id: the hop's response is part of the same request.
      known.redirects.push(`${e.redirectResponse.status} ${new URL(known.url).pathname}`);
      known.bytes += e.redirectResponse.encodedDataLength ?? 0;
      known.url = e.request.url;
      return;
    }
    reqs.set(e.requestId, {
      url: e.request.url,
      type: e.type ?? "Other",
      start: wall(e.timestamp),
      headersAt: null,
      end: null,
      bytes: 0,
      status: null,
      redirects: [],
    });
  });
  cdp.on("Network.responseReceived", (e) => {
    const r = reqs.get(e.requestId);
    if (!r) return;
    r.headersAt = wall(e.timestamp);
    r.status = e.response.status;
  });
  cdp.on("Network.loadingFinished", (e) => {
    const r = reqs.get(e.requestId);
    if (!r) return;
    r.end = wall(e.timestamp);
    r.bytes += e.encodedDataLength;
  });
  cdp.on("Network.webSocketCreated", (e) => {
    reqs.set(e.requestId, { url: e.url, type: "WebSocket", start: Date.now(), headersAt: null, end: null, bytes: 0, status: null, redirects: [] });
  });
  cdp.on("Network.webSocketHandshakeResponseReceived", (e) => {
    const r = reqs.get(e.requestId);
    if (r) {
      r.headersAt = wall(e.timestamp);
      r.status = e.response.status;
    }
  });
  cdp.on("Network.webSocketFrameReceived", (e) => frames.push({ at: wall(e.timestamp), bytes: e.response.payloadData.length }));
  await cdp.send("Network.enable");
  return { reqs, frames };
}

/** CPU seconds of all of Chromium's processes (browser, renderers, network, ...). */
async function chromiumCpu(cdp: CDPSession): Promise<number> {
  const { processInfo } = (await cdp.send("SystemInfo.getProcessInfo")) as { processInfo: { id: number; cpuTime: number }[] };
  return processInfo.reduce((s, p) => s + p.cpuTime, 0);
}

interface Run {
  ms: number;
  bytes: number;
  bytesAfter: number;
  serverCpuMs: number;
  chromiumCpuMs: number;
  longTaskMs: number;
  phases: Record<string, number>;
  lines: string[];
}

async function signIn(browser: Browser, base: string, bcdp: CDPSession, serverPid: number): Promise<Run> {
  const ctx = await browser.newContext();
  try {
    const page = await ctx.newPage();
    const cdp = await ctx.newCDPSession(page);
    const net = await recordNetwork(cdp);
    // On every document of the tab: when Enter went down (kept across the navigation in
    // sessionStorage), when the count first read "N of N", and the main thread's long tasks.
    await ctx.addInitScript((n: number) => {
      const w = window as unknown as { __bench: { shownAt: number | null; rowsInDom: number; longTasks: number } };
      w.__bench = { shownAt: null, rowsInDom: 0, longTasks: 0 };
      addEventListener("keydown", (e) => e.key === "Enter" && sessionStorage.setItem("bench-enter", String(Date.now())), true);
      // (No named functions in here: tsx would wrap them in a helper the page lacks.)
      new MutationObserver(() => {
        const el = document.querySelector('[data-testid="machine-count"]');
        if (w.__bench.shownAt === null && el?.textContent?.trim() === `${n} of ${n}`) {
          w.__bench.shownAt = Date.now();
          w.__bench.rowsInDom = document.querySelectorAll('[data-testid="machine-row"]').length;
        }
      }).observe(document, { subtree: true, childList: true, characterData: true });
      try {
        new PerformanceObserver((l) => l.getEntries().forEach((t) => (w.__bench.longTasks += t.duration))).observe({
          type: "longtask",
          buffered: true,
        });
      } catch (e) {
        w.__bench.longTasks = NaN;
        console.error(e);
      }
    }, N);
    await page.goto(`${base}/login?next=%2Fmachines`);
    await page.getByLabel("Username").fill(ADMIN.username);
    await page.getByLabel("Password").fill(ADMIN.password);
    const cpu0 = cpuSeconds(serverPid);
    const ccpu0 = await chromiumCpu(bcdp);
    await page.getByLabel("Password").press("Enter");
    await page
      .waitForFunction(() => (window as unknown as { __bench: { shownAt: number | null } }).__bench.shownAt !== null, null, {
        timeout: Number(process.env.BENCH_TIMEOUT ?? 60_000),
        polling: 10,
      })
      .catch(async (e: unknown) => {
        const count = await page
          .getByTestId("machine-count")
          .textContent({ timeout: 100 })
          .catch(() => null);
        const state = await page.evaluate(() => JSON.stringify((window as unknown as { __bench: unknown }).__bench)).catch((x: unknown) => String(x));
        throw new Error(`all rows never counted on ${page.url()} (count: ${count ?? "none"}, bench ${state}): ${String(e)}`);
      });
    const cpu1 = cpuSeconds(serverPid);
    const ccpu1 = await chromiumCpu(bcdp);
    const b = await page.evaluate(() => ({
      ...(window as unknown as { __bench: { shownAt: number; rowsInDom: number; longTasks: number } }).__bench,
      enter: Number(sessionStorage.getItem("bench-enter")),
    }));
    if (!b.enter) throw new Error("the Enter key was not seen");
    if (!b.rowsInDom) throw new Error("the count showed but no row was in the table");
    // Whatever the page still fetches right after (a refetch on the event socket's open,
    // say) is part of the cost of a sign-in too.
    await new Promise((r) => setTimeout(r, 2000));
    const all = [...net.reqs.values()].filter((r) => r.start >= b.enter - 1);
    const rel = (t: number | null) => (t === null ? NaN : t - b.enter);
    const doneBy = (r: Req, t: number) => r.end !== null && r.end <= t;
    const bytes =
      all.filter((r) => doneBy(r, b.shownAt)).reduce((s, r) => s + r.bytes, 0) +
      net.frames.filter((f) => f.at <= b.shownAt).reduce((s, f) => s + f.bytes, 0);
    const total = all.reduce((s, r) => s + r.bytes, 0) + net.frames.filter((f) => f.at >= b.enter).reduce((s, f) => s + f.bytes, 0);

    const path = (r: Req) => new URL(r.url).pathname;
    const login = all.find((r) => path(r) === "/api/auth/login");
    const doc = all.find((r) => r.type === "Document" && path(r) === "/machines");
    const rsc = all.find((r) => r.type === "Fetch" && path(r) === "/machines");
    const nav = doc ?? rsc;
    const scripts = all.filter((r) => r.type === "Script");
    const list = all.filter((r) => path(r) === "/api/machines");
    const firstList = list[0];
    const phases: Record<string, number> = {
      "login POST done": rel(login?.end ?? null),
      [doc ? "document request sent" : "RSC request sent"]: rel(nav?.start ?? null),
      [doc ? "document headers" : "RSC headers"]: rel(nav?.headersAt ?? null),
      [doc ? "document done" : "RSC done"]: rel(nav?.end ?? null),
      "last script done": scripts.length ? Math.max(...scripts.map((s) => rel(s.end))) : NaN,
      "/api/machines sent": rel(firstList?.start ?? null),
      "/api/machines done": rel(firstList?.end ?? null),
      "rows shown": rel(b.shownAt),
    };
    const lines = all
      .sort((a, c) => a.start - c.start)
      .map(
        (r) =>
          `    ${rel(r.start).toFixed(0).padStart(5)} → ${(r.end === null ? "  -  " : rel(r.end).toFixed(0)).padStart(5)} ms ${String(r.bytes).padStart(7)} B  ${r.type.padEnd(9)} ${r.status ?? ""} ${path(r)}${r.redirects.length ? ` (redirects: ${r.redirects.join(", ")})` : ""}`,
      );
    return {
      ms: b.shownAt - b.enter,
      bytes,
      bytesAfter: total - bytes,
      serverCpuMs: (cpu1 - cpu0) * 1000,
      chromiumCpuMs: (ccpu1 - ccpu0) * 1000,
      longTaskMs: b.longTasks,
      phases,
      lines: [
        ...lines,
        `    list fetches: ${list.length}, scripts: ${scripts.length} (${scripts.reduce((s, r) => s + r.bytes, 0)} B), rows in the DOM: ${b.rowsInDom}`,
      ],
    };
  } finally {
    await ctx.close();
  }
}

async function main() {
  const file = writeTestNode(N);
  console.log(`# login → machines list, ${N} domains (libvirt test driver via libvirtd), ${RUNS} fresh Chromium contexts, ${os.cpus().length} cores`);
  const { srv, admin } = await startWithAdmin({ HANGAR_LOCAL_AGENT: "1", HANGAR_LIBVIRT_URI: `test://${file}` });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  try {
    await until("inventory", async () => (await admin.req("GET", "/api/machines")).json.total >= N, 120_000, 200);
    // Baseline: the list API alone, warm, from Node (no browser, no rendering).
    const api: number[] = [];
    let apiBytes = 0;
    let apiGzip = 0;
    for (let i = 0; i < 30; i++) {
      const t0 = performance.now();
      const res = await fetch(`${srv.url}/api/machines`, { headers: { Cookie: admin.cookie, "Accept-Encoding": "identity" } });
      apiBytes = (await res.arrayBuffer()).byteLength;
      if (i >= 10) api.push(performance.now() - t0);
    }
    const gz = await fetch(`${srv.url}/api/machines`, { headers: { Cookie: admin.cookie, "Accept-Encoding": "gzip, br" } });
    apiGzip = Number(gz.headers.get("content-length") ?? 0);
    await gz.arrayBuffer();
    console.log(
      `${summary("baseline: GET /api/machines from Node, warm", api)}; body ${apiBytes} B${gz.headers.get("content-encoding") ? `, ${apiGzip || "chunked"} B ${gz.headers.get("content-encoding")}` : ", not compressed"}`,
    );
    // What the table asks for: its projection (an older server ignores the parameter).
    const table = await fetch(`${srv.url}/api/machines?view=table`, { headers: { Cookie: admin.cookie, "Accept-Encoding": "identity" } });
    const tableBytes = table.ok ? (await table.arrayBuffer()).byteLength : NaN;
    console.log(`GET /api/machines?view=table body: ${tableBytes} B (${((tableBytes / apiBytes) * 100).toFixed(0)} % of the full rows)`);

    const bcdp = await browser.newBrowserCDPSession();
    const pid = srv.proc.pid!;
    await signIn(browser, srv.url, bcdp, pid); // warm-up: the server's first render of each page
    const runs: Run[] = [];
    for (let i = 0; i < RUNS; i++) {
      const r = await signIn(browser, srv.url, bcdp, pid);
      runs.push(r);
      console.log(
        `run ${i + 1}: ${r.ms.toFixed(0)} ms, ${r.bytes} B until all rows counted (+${r.bytesAfter} B in the 2 s after); CPU server ${r.serverCpuMs.toFixed(0)} ms, Chromium ${r.chromiumCpuMs.toFixed(0)} ms; main-thread long tasks ${r.longTaskMs.toFixed(0)} ms`,
      );
      console.log(
        `  phases (ms after Enter): ${Object.entries(r.phases)
          .map(([k, v]) => `${k} ${Number.isNaN(v) ? "-" : v.toFixed(0)}`)
          .join(" · ")}`,
      );
      if (i === 0 || process.env.BENCH_VERBOSE) console.log(r.lines.join("\n"));
    }
    const med = (f: (r: Run) => number) => pct(runs.map(f), 50);
    console.log(
      summary(
        "Enter → all rows counted",
        runs.map((r) => r.ms),
      ),
    );
    console.log(`p50 bytes until all rows counted: ${med((r) => r.bytes)} B (+${med((r) => r.bytesAfter)} B in the 2 s after)`);
    console.log(`p50 CPU per sign-in: server ${med((r) => r.serverCpuMs).toFixed(0)} ms, Chromium ${med((r) => r.chromiumCpuMs).toFixed(0)} ms`);
    console.log(
      `p50 phases (ms after Enter): ${Object.keys(runs[0]!.phases)
        .map((k) => `${k} ${med((r) => r.phases[k] ?? NaN).toFixed(0)}`)
        .join(" · ")}`,
    );
    console.log(`ratio sign-in p50 / list API p50: ${(med((r) => r.ms) / pct(api, 50)).toFixed(1)}x (goal: sign-in < 1000 ms, 500 ms)`);
  } finally {
    await browser.close();
    await srv.stop();
    fs.rmSync(file, { force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
