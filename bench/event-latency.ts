// Benchmark (a): libvirt event → browser cache update. A real guest is paused and resumed
// 200 times through libvirt's RPC (not through Hangar); each state change travels libvirtd
// → agent → server → /ws/events → the React Query cache in Chromium, where the page
// records when it applied the event. Baseline in the same run: the same event seen by a
// direct libvirt event subscriber (what libvirt itself costs).
// Run: npx tsx bench/event-latency.ts   (after npm run build and scripts/lab/test-services-up.sh)
import { chromium } from "@playwright/test";
import { startWithAdmin } from "../tests/helpers/server";
import { ensureOff, until, virsh } from "../tests/helpers/lab";
import { LibvirtClient, domainLookupByName, domainResume, domainSuspend } from "../server/agent/libvirt";
import { DomainEventId } from "../server/agent/libvirt/procedures";
import { pct, summary } from "./stats";

const VM = "hangar-test-2";
const ROUNDS = Number(process.env.BENCH_EVENTS ?? 200);

async function main() {
  ensureOff(VM);
  virsh("start", VM);
  const { srv, admin } = await startWithAdmin({ HANGAR_LOCAL_AGENT: "1" });
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"] });
  try {
    const ctx = await browser.newContext();
    const [name, value] = admin.cookie.split("=");
    await ctx.addCookies([{ name: name!, value: value!, url: srv.url }]);
    const page = await ctx.newPage();
    await page.addInitScript(() => {
      const w = window as unknown as { __seen: { state: string; at: number }[] };
      w.__seen = [];
      window.addEventListener("hangar:event", (e) => {
        const d = (e as CustomEvent).detail as { type: string; machine?: { name: string; state: string } };
        if (d.type === "machine.upsert" && d.machine?.name === "hangar-test-2") w.__seen.push({ state: d.machine.state, at: Date.now() });
      });
    });
    await page.goto(`${srv.url}/machines`);
    await page.waitForSelector('[data-testid="live-status"][data-state="live"]');
    await until("guest listed running", async () => (await admin.req("GET", "/api/machines")).json.rows.some((r: { name: string; state: string }) => r.name === VM && r.state === "running"), 60_000);

    const lv = new LibvirtClient();
    await lv.connect("qemu:///system");
    const direct: { state: string; at: number }[] = [];
    lv.on("lifecycle", (e) => e.dom.name === VM && direct.push({ state: e.event === 3 ? "paused" : "running", at: performance.timeOrigin + performance.now() }));
    await lv.registerDomainEvent(DomainEventId.LIFECYCLE);
    const dom = await domainLookupByName(lv, VM);

    const browserLat: number[] = [];
    const libvirtLat: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const target = i % 2 === 0 ? "paused" : "running";
      const seenBefore = await page.evaluate(() => (window as unknown as { __seen: unknown[] }).__seen.length);
      const directBefore = direct.length;
      const t0 = performance.timeOrigin + performance.now();
      await (target === "paused" ? domainSuspend(lv, dom) : domainResume(lv, dom));
      const hit = await until(
        "browser update",
        async () => page.evaluate(([n, s]) => (window as unknown as { __seen: { state: string; at: number }[] }).__seen.slice(n as number).find((x) => x.state === s), [seenBefore, target] as const),
        10_000,
        2,
      );
      const d = await until("direct event", () => direct.slice(directBefore).find((x) => x.state === target), 10_000, 1);
      browserLat.push(hit.at - t0);
      libvirtLat.push(d.at - t0);
    }
    await lv.close();
    console.log(`# event latency, ${ROUNDS} pause/resume events on a real QEMU guest`);
    console.log(summary("libvirt call → direct libvirt event subscriber (baseline)", libvirtLat));
    console.log(summary("libvirt call → Chromium React Query cache (agent → server → /ws/events)", browserLat));
    console.log(`Hangar's added latency p50 ${(pct(browserLat, 50) - pct(libvirtLat, 50)).toFixed(2)} ms; ratio p95 ${(pct(browserLat, 95) / pct(libvirtLat, 95)).toFixed(2)}x (goal: p95 < 50 ms end to end)`);
  } finally {
    await browser.close();
    await srv.stop();
    ensureOff(VM);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
