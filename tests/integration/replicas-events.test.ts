// The event relay between two buses through one real PostgreSQL database, in one process
// (each side with its own connections, as two servers have): order, batching, the stored
// path for events over NOTIFY's payload limit, and no echo back to the origin.
import { afterAll, beforeAll, expect, it } from "vitest";
import { createDb, type Db } from "@/server/web/db/client";
import { migrate } from "@/server/web/db/migrate";
import { ClusterBus } from "@/server/web/cluster/cluster-bus";
import { EventRelay } from "@/server/web/cluster/event-relay";
import type { BrowserEvent } from "@/server/protocol/browser-events";
import { labSuite, until } from "../helpers/lab";
import { scratchDatabase, type ScratchDatabase } from "../helpers/cluster";

labSuite("postgres", "event relay between two servers' buses", () => {
  let scratch: ScratchDatabase;
  const dbs: Db[] = [];
  const relays: EventRelay[] = [];
  const buses = [new ClusterBus(), new ClusterBus()] as const;
  const got: BrowserEvent[][] = [[], []];
  beforeAll(async () => {
    scratch = await scratchDatabase();
    await migrate(scratch.url);
    for (const [i, bus] of buses.entries()) {
      const db = createDb(scratch.url);
      dbs.push(db);
      relays.push(await EventRelay.start(scratch.url, bus, db));
      bus.subscribe((p) => got[i]!.push(p.event));
    }
  });
  afterAll(async () => {
    for (const r of relays) await r.stop();
    for (const db of dbs) await db.$disconnect();
    await scratch?.drop();
  });

  it("a burst of 2,000 events reaches the other bus complete and in order, in few notifications, never echoed", async () => {
    const [a, b] = buses;
    const before = relays[0]!.stats.notifications;
    for (let i = 0; i < 2000; i++) a.publish({ type: "host.changed", hostId: `h-${i}` });
    await until("all on B", () => got[1]!.length >= 2000, 10_000, 10);
    expect(got[1]!.map((e) => (e.type === "host.changed" ? e.hostId : "?"))).toEqual(Array.from({ length: 2000 }, (_, i) => `h-${i}`));
    // B numbers them itself, 1..2000.
    expect(got[1]!.map((e) => ("seq" in e ? e.seq : 0))).toEqual(Array.from({ length: 2000 }, (_, i) => i + 1));
    // ~60-byte events, ≤ 7,900 bytes a notification: well under one notification per event.
    const sent = relays[0]!.stats.notifications - before;
    expect(sent).toBeLessThan(40);
    console.log(`[replicas] 2,000 events in ${sent} notifications`);
    await new Promise((r) => setTimeout(r, 200));
    expect(got[0]!.length).toBe(2000); // A's own, once: nothing came back
    expect(b.lastSeq).toBe(2000);
  });

  it("an event over the NOTIFY limit goes through the ClusterEvent table, between small ones, order kept", async () => {
    const [, b] = buses;
    const from = got[0]!.length;
    const big = "x".repeat(20_000);
    b.publish({ type: "host.changed", hostId: "before" });
    b.publish({ type: "host.changed", hostId: big });
    b.publish({ type: "host.changed", hostId: "after" });
    b.transient({ type: "task.progress", taskId: "t1", done: 5, total: 10 }, { kind: "fleet", permission: "task.read" });
    await until("all on A", () => got[0]!.length >= from + 4, 10_000, 10);
    expect(got[0]!.slice(from).map((e) => (e.type === "host.changed" ? e.hostId.slice(0, 6) : e.type))).toEqual([
      "before",
      "xxxxxx",
      "after",
      "task.progress",
    ]);
    expect(relays[1]!.stats.stored).toBe(1);
    expect(await dbs[0]!.clusterEvent.count()).toBe(1);
  });
});
