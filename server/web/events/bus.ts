// In-process fan-out of live changes to browser sockets. Every event carries a sequence
// number, and the bus keeps a window of recent events so that a browser which reconnects
// within it is sent what it missed instead of refetching every list (decision 0004).
import { randomBytes } from "node:crypto";
import type { BrowserEvent } from "../../protocol/browser-events";
import { audienceOf, type Audience } from "./audience";

type Payload = BrowserEvent extends infer E ? (E extends { seq: number } ? Omit<E, "seq"> : never) : never;

/** One published event, serialised once and shared by every socket that sends it. */
export interface Published {
  seq: number;
  event: BrowserEvent;
  raw: string;
  at: number;
  /** Who may receive it, worked out once here (see ./audience.ts), not per socket. */
  audience: Audience;
  /** Live only (task progress): no sequence number of its own. */
  transient?: true;
}
type Listener = (p: Published) => void;
/**
 * What the replay window keeps of an event: its JSON and audience only (half the heap of
 * the object too). The audience is kept so that a replay is filtered like the live fan-out.
 */
export type Kept = Omit<Published, "event" | "transient">;

export interface ReplayWindow {
  /** Most events kept for replay. */
  maxEvents: number;
  /** Oldest event kept for replay. */
  maxAgeMs: number;
  /**
   * Most bytes one replay may send. Past it a refetch is cheaper (at 1,000 VMs the gzipped
   * lists are ~21 KiB, while missed events go as ~525 B of uncompressed JSON each), so the
   * client is told to refetch instead.
   */
  maxReplayBytes: number;
}

// The ring never holds more than maxReplayBytes of JSON (see keep()), so at ~510 bytes a row
// event it keeps ~130 of them whatever maxEvents says; maxEvents bounds a burst of tiny events.
const DEFAULT_WINDOW: ReplayWindow = { maxEvents: 20_000, maxAgeMs: 5 * 60_000, maxReplayBytes: 64 * 1024 };

export class EventBus {
  /** Changes at every start: sequence numbers of another run are not comparable. */
  readonly epoch = randomBytes(6).toString("base64url");
  private seq = 0;
  private readonly listeners = new Set<Listener>();
  // A ring: `head` is the index of the oldest kept event.
  private readonly ring: (Kept | undefined)[];
  private head = 0;
  private size = 0;
  /** Characters of JSON in the ring. */
  private bytes = 0;

  constructor(private readonly window: ReplayWindow = DEFAULT_WINDOW) {
    this.ring = new Array<Kept | undefined>(window.maxEvents);
  }

  /** `audience`: who may see it, when the event alone does not say (a task's owner, a container's console). */
  publish(e: Payload, audience?: Audience): void {
    const event = { ...e, seq: ++this.seq } as BrowserEvent;
    const p: Published = { seq: this.seq, event, raw: JSON.stringify(event), at: Date.now(), audience: audience ?? audienceOf(event) };
    this.keep({ seq: p.seq, raw: p.raw, at: p.at, audience: p.audience });
    for (const l of this.listeners) {
      try {
        l(p);
      } catch (err) {
        console.error("[events] listener failed:", err);
      }
    }
  }

  /**
   * Sends an event that is live-only (e.g. a task's progress): no sequence number, not kept
   * for replay. At several per second during an upload, kept events would push the row
   * changes a reconnecting browser needs out of the replay window.
   */
  transient(event: Extract<BrowserEvent, { type: "task.progress" }>, audience: Audience): void {
    const p: Published = { seq: this.seq, event, raw: JSON.stringify(event), at: Date.now(), audience, transient: true };
    for (const l of this.listeners) {
      try {
        l(p);
      } catch (err) {
        console.error("[events] listener failed:", err);
      }
    }
  }

  subscribe(l: Listener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  get lastSeq(): number {
    return this.seq;
  }

  /**
   * The events after `seq` of this epoch, oldest first, or null when they are not all
   * kept any more (another epoch, too old, or pushed out) or would cost more than a
   * refetch: the client must refetch.
   */
  since(epoch: string, seq: number): Kept[] | null {
    if (epoch !== this.epoch || seq > this.seq || seq < 0) return null;
    this.expire(Date.now());
    if (seq === this.seq) return [];
    const oldest = this.size ? this.ring[this.head]!.seq : this.seq + 1;
    if (seq + 1 < oldest) return null;
    const out: Kept[] = [];
    let bytes = 0;
    for (let i = seq + 1 - oldest; i < this.size; i++) {
      const k = this.ring[(this.head + i) % this.ring.length]!;
      if ((bytes += k.raw.length) > this.window.maxReplayBytes) return null;
      out.push(k);
    }
    return out;
  }

  private keep(p: Kept): void {
    if (this.size === this.ring.length) this.dropOldest();
    this.ring[(this.head + this.size) % this.ring.length] = p;
    this.size++;
    this.bytes += p.raw.length;
    // A replay must send every kept event after the client's seq, so once the kept events
    // add up to more than maxReplayBytes the oldest can never be part of an answer (any
    // resume that needs it costs more than a refetch): drop it. Same answers from since(),
    // a fraction of the heap (the soak's 20,000 events held ~15 MiB for nothing).
    while (this.bytes > this.window.maxReplayBytes && this.size > 1) this.dropOldest();
    this.expire(p.at);
  }

  private dropOldest(): void {
    this.bytes -= this.ring[this.head]!.raw.length;
    this.ring[this.head] = undefined;
    this.head = (this.head + 1) % this.ring.length;
    this.size--;
  }

  private expire(now: number): void {
    while (this.size && now - this.ring[this.head]!.at > this.window.maxAgeMs) this.dropOldest();
  }
}
