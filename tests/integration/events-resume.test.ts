// The event socket resumes: a browser that reconnects within the bus's window is sent
// exactly the events it missed (in order, none twice) instead of refetching every list;
// another server run, or a point the server no longer holds, is answered "not resumed".
import type WebSocket from "ws";
import { afterAll, beforeAll, expect, it } from "vitest";
import { Client, startWithAdmin, type TestServer } from "../helpers/server";
import { labSuite, until } from "../helpers/lab";
import { nextMessage, tryUpgrade } from "../helpers/ws";
import { defineScratch, undefineScratch } from "../helpers/scratch-domains";
import type { BrowserEvent } from "../../server/protocol/browser-events";

const PREFIX = "hangar-resume-";

/** An events socket that records every message from the first byte. */
async function openEvents(srv: TestServer, cookie: string, query = ""): Promise<{ ws: WebSocket; got: BrowserEvent[] }> {
  const r = await tryUpgrade(srv.url, `/ws/events${query}`, { Origin: srv.url, Cookie: cookie });
  if (!r.ws) throw new Error(`events socket refused: ${r.status}`);
  const got: BrowserEvent[] = [];
  // nextMessage drains the queue tryUpgrade kept from the first frame (a hello can arrive
  // in the same read as the 101).
  const ws = r.ws;
  void (async () => {
    for (;;) got.push((await nextMessage(ws)) as BrowserEvent);
  })();
  return { ws, got };
}

const hello = (got: BrowserEvent[]) =>
  until("hello", () => got.find((e) => e.type === "hello") as Extract<BrowserEvent, { type: "hello" }> | undefined, 10_000, 10);
const seqOf = (e: BrowserEvent) => ("seq" in e ? e.seq : null);

labSuite("libvirt", "event socket resume after a reconnect (real libvirt)", () => {
  let srv: TestServer;
  let admin: Client;

  beforeAll(async () => {
    undefineScratch(PREFIX);
    ({ srv, admin } = await startWithAdmin({ HANGAR_LOCAL_AGENT: "1" }));
    await until(
      "inventory",
      async () => (await admin.req("GET", "/api/machines")).json.rows.some((r: { name: string }) => r.name === "hangar-test-1"),
      60_000,
    );
  }, 120_000);

  afterAll(async () => {
    await srv?.stop();
    undefineScratch(PREFIX);
  });

  it("a reconnect within the window gets exactly the missed events, in order, none twice", async () => {
    const first = await openEvents(srv, admin.cookie);
    const h = await hello(first.got);
    expect(h).toMatchObject({ resumed: false, epoch: expect.any(String) });
    // What this client applied last: the hello's point, or the last event after it.
    await new Promise((r) => setTimeout(r, 300));
    const seen = first.got.map(seqOf).filter((s): s is number => s !== null && s > h.seq);
    const last = seen.length ? Math.max(...seen) : h.seq;
    first.ws.close();

    // Ten machines defined while the client is away (libvirt's own events reach the server).
    for (let i = 0; i < 10; i++) defineScratch(`${PREFIX}${i}`);
    await until(
      "server holds all ten",
      async () => (await admin.req("GET", "/api/machines")).json.rows.filter((r: { name: string }) => r.name.startsWith(PREFIX)).length === 10,
      20_000,
      100,
    );

    const back = await openEvents(srv, admin.cookie, `?resume=${h.epoch}:${last}`);
    const h2 = await hello(back.got);
    expect(h2).toMatchObject({ resumed: true, epoch: h.epoch, seq: last });
    await until(
      "missed upserts replayed",
      () => new Set(back.got.flatMap((e) => (e.type === "machine.upsert" && e.machine.name.startsWith(PREFIX) ? [e.machine.name] : []))).size === 10,
      10_000,
      20,
    );
    const seqs = back.got.map(seqOf).filter((s): s is number => s !== null && s > h2.seq);
    // Strictly consecutive from the resume point: nothing lost, nothing twice.
    expect(seqs[0]).toBe(last + 1);
    seqs.forEach((s, i) => expect(s).toBe(last + 1 + i));
    back.ws.close();
  });

  it("another server run, a future point or a malformed one: not resumed (the client refetches)", async () => {
    const probe = await openEvents(srv, admin.cookie);
    const { epoch, seq } = await hello(probe.got);
    probe.ws.close();
    for (const q of [`?resume=someoneelse:${seq}`, `?resume=${epoch}:${seq + 1000}`, "?resume=%3Cscript%3E", `?resume=${epoch}:-1`]) {
      const c = await openEvents(srv, admin.cookie, q);
      expect(await hello(c.got), q).toMatchObject({ resumed: false, epoch });
      c.ws.close();
    }
  });

  it("after a server restart the epoch changes: nothing from the old run is replayed", async () => {
    const before = await openEvents(srv, admin.cookie);
    const h = await hello(before.got);
    before.ws.close();
    await srv.stop("SIGTERM", true);
    srv = await srv.restart();
    admin = Object.assign(new Client(srv.url), { cookie: admin.cookie }); // the session outlives the restart
    const c = await openEvents(srv, admin.cookie, `?resume=${h.epoch}:${h.seq}`);
    const h2 = await hello(c.got);
    expect(h2.resumed).toBe(false);
    expect(h2.epoch).not.toBe(h.epoch);
    c.ws.close();
  });
});
