// In-process fan-out of live changes to browser sockets. Every event carries a sequence
// number so a client can tell it missed some (and refetch) after a reconnect.
import type { BrowserEvent } from "../../protocol/browser-events";

type Payload = BrowserEvent extends infer E ? (E extends { seq: number } ? Omit<E, "seq"> : never) : never;
type Listener = (e: BrowserEvent) => void;

export class EventBus {
  private seq = 0;
  private readonly listeners = new Set<Listener>();

  publish(e: Payload): void {
    const event = { ...e, seq: ++this.seq } as BrowserEvent;
    for (const l of this.listeners) {
      try {
        l(event);
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
}
