// The delivery queue: one lane per channel with its own concurrency limit, so a channel
// that hangs or fails fills only its own lane. Every delivery is an AlertDelivery row
// before it is sent; a failed attempt is retried with exponential backoff, and rows still
// queued or retrying when the server stops are picked up again at start.
import { randomUUID } from "node:crypto";
import type { Db } from "../db/client";
import type { AlertNotification } from "../../protocol/alerts";
import { send as sendVia, type ChannelTarget } from "./channels";

export interface DeliveryOptions {
  /** Attempts in flight per channel. */
  concurrency: number;
  timeoutMs: number;
  maxAttempts: number;
  /** First retry after this; doubles per attempt up to maxBackoffMs. */
  backoffMs: number;
  maxBackoffMs: number;
}

export const DEFAULT_DELIVERY: DeliveryOptions = { concurrency: 2, timeoutMs: 5000, maxAttempts: 6, backoffMs: 2000, maxBackoffMs: 5 * 60_000 };

interface Job {
  id: string;
  channelId: string;
  payload: AlertNotification;
  attempt: number;
  done?: (error: string | null) => void;
}

interface Lane {
  running: number;
  queue: Job[];
}

type Sender = (ch: ChannelTarget, n: AlertNotification, timeoutMs: number) => Promise<void>;

export class DeliveryQueue {
  private readonly lanes = new Map<string, Lane>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private channels = new Map<string, ChannelTarget>();
  private stopped = false;
  readonly stats = { sent: 0, failed: 0 };

  constructor(
    private readonly db: Db,
    private readonly opts: DeliveryOptions = DEFAULT_DELIVERY,
    private readonly sender: Sender = sendVia,
  ) {}

  setChannels(list: ChannelTarget[]): void {
    this.channels = new Map(list.map((c) => [c.id, c]));
  }

  /** Picks up what the last run left queued or retrying. */
  async resume(): Promise<number> {
    const rows = await this.db.alertDelivery.findMany({ where: { status: { in: ["queued", "retrying"] } }, orderBy: { at: "asc" } });
    for (const r of rows) {
      let payload: AlertNotification;
      try {
        payload = JSON.parse(r.payloadJson) as AlertNotification;
      } catch {
        continue;
      }
      const job: Job = { id: r.id, channelId: r.channelId, payload, attempt: r.attempt };
      this.later(job, Math.max(0, (r.nextAttemptAt?.getTime() ?? 0) - Date.now()));
    }
    return rows.length;
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
  }

  /**
   * Records and queues one delivery; resolves once its row exists. `done` is told how the
   * first attempt went (the channel "send test" answers with it).
   */
  async enqueue(channelId: string, event: AlertNotification["event"], alertId: string | null, payload: AlertNotification, done?: Job["done"]) {
    const [id] = await this.enqueueMany([{ channelId, event, alertId, payload, done }]);
    return id!;
  }

  /** Records several deliveries in one statement (the rows exist before any is sent), then queues them. */
  async enqueueMany(
    list: { channelId: string; event: AlertNotification["event"]; alertId: string | null; payload: AlertNotification; done?: Job["done"] }[],
  ): Promise<string[]> {
    const jobs = list.map((d) => ({ ...d, id: randomUUID() }));
    await this.db.alertDelivery.createMany({
      data: jobs.map((j) => ({
        id: j.id,
        channelId: j.channelId,
        alertId: j.alertId,
        event: j.event,
        payloadJson: JSON.stringify(j.payload),
        status: "queued",
      })),
    });
    for (const j of jobs) this.push({ id: j.id, channelId: j.channelId, payload: j.payload, attempt: 0, done: j.done });
    return jobs.map((j) => j.id);
  }

  private push(job: Job): void {
    let lane = this.lanes.get(job.channelId);
    if (!lane) this.lanes.set(job.channelId, (lane = { running: 0, queue: [] }));
    lane.queue.push(job);
    this.pump(lane);
  }

  private pump(lane: Lane): void {
    while (!this.stopped && lane.running < this.opts.concurrency && lane.queue.length) {
      const job = lane.queue.shift()!;
      lane.running++;
      void this.attempt(job).finally(() => {
        lane.running--;
        this.pump(lane);
      });
    }
  }

  private async attempt(job: Job): Promise<void> {
    const ch = this.channels.get(job.channelId);
    if (!ch) return this.settle(job, "failed", "channel removed", null);
    if (!ch.enabled && job.payload.event !== "test") return this.settle(job, "failed", "channel disabled", null);
    job.attempt++;
    // Each attempt carries its own time, signed with the body (replays are recognisable).
    const payload = { ...job.payload, sentAt: Date.now() };
    try {
      await this.sender(ch, payload, this.opts.timeoutMs);
      this.stats.sent++;
      await this.settle(job, "sent", null, null);
    } catch (err) {
      const e = err as Error;
      const msg = e.name === "TimeoutError" ? `no answer in ${this.opts.timeoutMs} ms` : e.message || String(err);
      if (job.attempt >= this.opts.maxAttempts || job.payload.event === "test") {
        this.stats.failed++;
        return this.settle(job, "failed", msg, null);
      }
      const wait = Math.min(this.opts.maxBackoffMs, this.opts.backoffMs * 2 ** (job.attempt - 1));
      await this.settle(job, "retrying", msg, new Date(Date.now() + wait));
      this.later(job, wait);
    }
  }

  private later(job: Job, ms: number): void {
    if (this.stopped) return;
    const t = setTimeout(() => {
      this.timers.delete(t);
      this.push(job);
    }, ms);
    t.unref();
    this.timers.add(t);
  }

  private async settle(job: Job, status: "sent" | "retrying" | "failed", error: string | null, nextAttemptAt: Date | null): Promise<void> {
    // The first attempt's outcome, whatever follows it.
    job.done?.(error);
    job.done = undefined;
    await this.db.alertDelivery
      .update({
        where: { id: job.id },
        data: { status, error, attempt: job.attempt, nextAttemptAt, sentAt: status === "sent" ? new Date() : undefined },
      })
      .catch((err: unknown) => console.warn(`[alerts] delivery ${job.id} not recorded: ${(err as Error).message}`));
  }
}
