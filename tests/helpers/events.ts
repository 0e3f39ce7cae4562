// A browser-like /ws/events client that records every pushed event.
import type WebSocket from "ws";
import type { BrowserEvent } from "../../server/protocol/browser-events";
import { tryUpgrade } from "./ws";
import { until } from "./lab";

export class EventRecorder {
  readonly events: (BrowserEvent & { receivedAt: number })[] = [];
  private constructor(readonly ws: WebSocket) {
    ws.on("message", (d) => this.events.push({ ...(JSON.parse(String(d)) as BrowserEvent), receivedAt: Date.now() }));
  }

  static async open(base: string, cookie: string): Promise<EventRecorder> {
    const r = await tryUpgrade(base, "/ws/events", { Origin: base, Cookie: cookie });
    if (!r.ws) throw new Error(`events socket refused: ${r.status}`);
    return new EventRecorder(r.ws);
  }

  /** Waits for the first event after index `from` that matches. */
  async waitFor(what: string, pred: (e: BrowserEvent) => boolean, from = 0, timeoutMs = 30_000): Promise<BrowserEvent & { receivedAt: number }> {
    return until(what, () => this.events.slice(from).find(pred), timeoutMs, 20);
  }

  machineState(name: string, state: string) {
    return (e: BrowserEvent) => e.type === "machine.upsert" && e.machine.name === name && e.machine.state === state;
  }

  get mark(): number {
    return this.events.length;
  }

  close(): void {
    this.ws.close();
  }
}
