// The delivery queue on a real SQLite database: a channel whose sends hang does not hold
// up another channel; failures are retried with doubling waits, then given up, each
// attempt recorded in its AlertDelivery row.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createDb, type Db } from "../db/client";
import { migrate } from "../db/migrate";
import type { AlertNotification } from "../../protocol/alerts";
import { DeliveryQueue } from "./delivery";
import type { ChannelTarget } from "./channels";

let db: Db;
let dir: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "hangar-delivery-"));
  const url = `file:${path.join(dir, "d.db")}`;
  await migrate(url, process.cwd());
  db = createDb(url);
  for (const id of ["slow", "fast", "broken"])
    await db.alertChannel.create({ data: { id, name: id, kind: "webhook", configJson: "{}", secret: "s", createdBy: "test" } });
});

afterAll(async () => {
  await db.$disconnect();
  fs.rmSync(dir, { recursive: true, force: true });
});

const channel = (id: string): ChannelTarget => ({ id, name: id, kind: "webhook", config: {}, secret: "s", enabled: true });
const note = { event: "firing", sentAt: 0, alert: {}, url: "" } as unknown as AlertNotification;
const until = async (fn: () => boolean | Promise<boolean>, ms = 5000) => {
  const end = Date.now() + ms;
  while (!(await fn())) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 10));
  }
};

it("a hanging channel fills only its own lane; a failing one is retried with doubling waits, then given up", async () => {
  const sent: { channel: string; at: number }[] = [];
  const q = new DeliveryQueue(db, { concurrency: 1, timeoutMs: 1000, maxAttempts: 3, backoffMs: 100, maxBackoffMs: 10_000 }, async (ch) => {
    sent.push({ channel: ch.id, at: Date.now() });
    if (ch.id === "slow") await new Promise((r) => setTimeout(r, 1000));
    if (ch.id === "broken") throw new Error("HTTP 500");
  });
  q.setChannels([channel("slow"), channel("fast"), channel("broken")]);
  const t0 = Date.now();
  await q.enqueueMany([
    { channelId: "slow", event: "firing", alertId: null, payload: note },
    { channelId: "slow", event: "firing", alertId: null, payload: note },
    { channelId: "fast", event: "firing", alertId: null, payload: note },
    { channelId: "fast", event: "firing", alertId: null, payload: note },
  ]);
  const [brokenId] = await q.enqueueMany([{ channelId: "broken", event: "firing", alertId: null, payload: note }]);
  // Both fast deliveries went while the slow lane still held its first one.
  await until(() => sent.filter((s) => s.channel === "fast").length === 2);
  expect(Date.now() - t0).toBeLessThan(500);
  expect(sent.filter((s) => s.channel === "slow")).toHaveLength(1);

  await until(async () => (await db.alertDelivery.findUnique({ where: { id: brokenId } }))?.status === "failed");
  const row = await db.alertDelivery.findUniqueOrThrow({ where: { id: brokenId } });
  expect(row).toMatchObject({ attempt: 3, error: "HTTP 500", nextAttemptAt: null });
  const tries = sent.filter((s) => s.channel === "broken").map((s) => s.at);
  // Waits of ~100 ms then ~200 ms between the three attempts.
  expect(tries[1]! - tries[0]!).toBeGreaterThanOrEqual(90);
  expect(tries[2]! - tries[1]!).toBeGreaterThanOrEqual(190);
  await until(async () => (await db.alertDelivery.count({ where: { channelId: "slow", status: "sent" } })) === 2);
  q.stop();
});
