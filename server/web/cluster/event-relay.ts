// Carries bus events between servers on one PostgreSQL through LISTEN/NOTIFY on one
// channel (decision 0005): no service besides the database to run. Local events are
// batched per tick into as few notifications as fit NOTIFY's 8,000-byte payload; a single
// event too big for one is stored in ClusterEvent and the notification names its row.
// Sending and receiving are each one promise chain, so events keep their order.
import { randomBytes } from "node:crypto";
import type { Client, Pool } from "pg";
import type { Db } from "../db/client";
import type { ClusterBus, Forwarded } from "./cluster-bus";

export const EVENT_CHANNEL = "hangar_events";
/** Below NOTIFY's 8,000-byte limit, with room for the envelope. */
const MAX_NOTIFY_BYTES = 7_900;
/** Stored batches are read within milliseconds; kept this long for a slow listener. */
const STORED_KEEP_MS = 60_000;
const RECONNECT_MS = 1_000;

/** A notification: the origin server, then the batch inline or the id of its stored row. */
type Envelope = { o: string; e: Forwarded[] } | { o: string; ref: number };

export class EventRelay {
  /** This process among the servers; its own notifications come back to it and are skipped. */
  readonly serverId = randomBytes(9).toString("base64url");
  private listener: Client | null = null;
  private queue: string[] = [];
  private scheduled = false;
  private sending: Promise<void> = Promise.resolve();
  private receiving: Promise<void> = Promise.resolve();
  private stopped = false;
  private lastPrune = 0;
  private readonly resync = new Set<() => void>();
  /** Counters for /readyz and benchmarks. */
  readonly stats = { sent: 0, received: 0, notifications: 0, stored: 0, errors: 0 };

  private constructor(
    private readonly url: string,
    private readonly pool: Pool,
    private readonly bus: ClusterBus,
    private readonly db: Db,
  ) {}

  static async start(url: string, bus: ClusterBus, db: Db): Promise<EventRelay> {
    const { default: pg } = await import("pg");
    const relay = new EventRelay(url, new pg.Pool({ connectionString: url, max: 2 }), bus, db);
    await relay.listen();
    bus.forwardTo((f) => relay.enqueue(f));
    return relay;
  }

  /** Called after the listening connection was re-made: events may have been missed meanwhile. */
  onResync(l: () => void): void {
    this.resync.add(l);
  }

  /** Listening: events of the other servers arrive (false while the connection is being re-made). */
  get listening(): boolean {
    return this.listener !== null;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.bus.forwardTo(null);
    await this.sending.catch(() => undefined);
    const l = this.listener;
    this.listener = null;
    await l?.end().catch(() => undefined);
    await this.pool.end().catch(() => undefined);
  }

  private async listen(): Promise<void> {
    const { default: pg } = await import("pg");
    const c = new pg.Client({ connectionString: this.url });
    c.on("notification", (n) => {
      if (n.channel === EVENT_CHANNEL && n.payload) this.receive(n.payload);
    });
    const lost = (err?: Error) => {
      if (this.listener !== c) return;
      this.listener = null;
      if (err) console.error("[cluster] event listener lost:", err.message);
      // Events published meanwhile are not seen here; the browsers of this server catch
      // up on their next refetch (see decision 0005).
      if (!this.stopped) setTimeout(() => void this.listen().catch(() => lost()), RECONNECT_MS).unref();
    };
    c.on("error", lost);
    c.on("end", () => lost());
    await c.connect();
    await c.query(`LISTEN ${EVENT_CHANNEL}`);
    const again = this.listened;
    this.listened = true;
    this.listener = c;
    if (again) for (const l of this.resync) l();
  }

  private listened = false;

  private enqueue(f: Forwarded): void {
    this.queue.push(JSON.stringify(f));
    this.stats.sent++;
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      const batch = this.queue.splice(0);
      this.sending = this.sending.then(() => this.send(batch)).catch((err: unknown) => this.failed("send", err));
    });
  }

  /** The batch in as few notifications as fit, in order. */
  private async send(batch: string[]): Promise<void> {
    const head = `{"o":${JSON.stringify(this.serverId)},"e":[`;
    let parts: string[] = [];
    let bytes = head.length + 2;
    for (const s of batch) {
      const n = Buffer.byteLength(s) + 1;
      if (parts.length && bytes + n > MAX_NOTIFY_BYTES) {
        await this.notify(`${head}${parts.join(",")}]}`);
        parts = [];
        bytes = head.length + 2;
      }
      parts.push(s);
      bytes += n;
    }
    if (parts.length) await this.notify(`${head}${parts.join(",")}]}`);
  }

  private async notify(payload: string): Promise<void> {
    this.stats.notifications++;
    if (Buffer.byteLength(payload) <= MAX_NOTIFY_BYTES) {
      await this.pool.query("SELECT pg_notify($1, $2)", [EVENT_CHANNEL, payload]);
      return;
    }
    this.stats.stored++;
    const row = await this.db.clusterEvent.create({ data: { payload }, select: { id: true } });
    await this.pool.query("SELECT pg_notify($1, $2)", [EVENT_CHANNEL, JSON.stringify({ o: this.serverId, ref: row.id })]);
    const now = Date.now();
    if (now - this.lastPrune > STORED_KEEP_MS) {
      this.lastPrune = now;
      await this.db.clusterEvent.deleteMany({ where: { createdAt: { lt: new Date(now - STORED_KEEP_MS) } } });
    }
  }

  private receive(payload: string): void {
    let env: Envelope;
    try {
      env = JSON.parse(payload) as Envelope;
    } catch (err) {
      return this.failed("parse", err);
    }
    if (env.o === this.serverId) return;
    this.receiving = this.receiving
      .then(async () => {
        const events = "ref" in env ? await this.stored(env.ref) : env.e;
        for (const f of events) {
          this.stats.received++;
          this.bus.inject(f, env.o);
        }
      })
      .catch((err: unknown) => this.failed("receive", err));
  }

  private async stored(id: number): Promise<Forwarded[]> {
    const row = await this.db.clusterEvent.findUnique({ where: { id } });
    if (!row) throw new Error(`stored event batch ${id} is gone`);
    return (JSON.parse(row.payload) as { e: Forwarded[] }).e;
  }

  private failed(what: string, err: unknown): void {
    this.stats.errors++;
    // A lost batch is a gap: whoever mirrors remote state must re-read it.
    if (what === "receive") for (const l of this.resync) l();
    console.error(`[cluster] event ${what} failed:`, err instanceof Error ? err.message : err);
  }
}
