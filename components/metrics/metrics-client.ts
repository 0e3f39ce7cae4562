// The browser's end of metric subscriptions. Components subscribe to series ids; the
// client reference-counts them, sends one subscribe/unsubscribe message per batch on the
// tab's event socket, resubscribes after a reconnect, and drops every subscription while
// the tab is hidden (the server then tells agents to stop streaming what nobody sees).
import type { SeriesSample } from "@/server/protocol/metrics";

type Listener = (s: SeriesSample) => void;
const BATCH = 200;

class MetricsClient {
  private ws: WebSocket | null = null;
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly latest = new Map<string, SeriesSample>();
  private hidden = false;
  private pendingSub = new Set<string>();
  private pendingUnsub = new Set<string>();
  private flushQueued = false;
  /** Series the server refused (unknown), so components can say why nothing draws. */
  readonly refused = new Set<string>();

  attach(ws: WebSocket): void {
    this.ws = ws;
    this.pendingUnsub.clear();
    if (!this.hidden) for (const s of this.listeners.keys()) this.pendingSub.add(s);
    this.queueFlush();
  }

  detach(ws: WebSocket): void {
    if (this.ws === ws) this.ws = null;
  }

  setHidden(hidden: boolean): void {
    if (hidden === this.hidden) return;
    this.hidden = hidden;
    for (const s of this.listeners.keys()) {
      if (hidden) {
        this.pendingSub.delete(s);
        this.pendingUnsub.add(s);
      } else {
        this.pendingUnsub.delete(s);
        this.pendingSub.add(s);
      }
    }
    this.queueFlush();
  }

  subscribe(series: string, listener: Listener): () => void {
    let set = this.listeners.get(series);
    if (!set) {
      this.listeners.set(series, (set = new Set()));
      this.pendingUnsub.delete(series);
      if (!this.hidden) this.pendingSub.add(series);
      this.queueFlush();
    }
    set.add(listener);
    const last = this.latest.get(series);
    if (last) listener(last);
    return () => {
      set.delete(listener);
      if (set.size || this.listeners.get(series) !== set) return;
      this.listeners.delete(series);
      this.pendingSub.delete(series);
      this.pendingUnsub.add(series);
      this.queueFlush();
    };
  }

  deliver(samples: SeriesSample[]): void {
    for (const s of samples) {
      this.latest.set(s.series, s);
      const set = this.listeners.get(s.series);
      if (set) for (const l of set) l(s);
    }
  }

  onError(series: string[] | undefined): void {
    for (const s of series ?? []) this.refused.add(s);
  }

  latestOf(series: string): SeriesSample | undefined {
    return this.latest.get(series);
  }

  private queueFlush(): void {
    if (this.flushQueued) return;
    this.flushQueued = true;
    // One message for everything a render subscribed to (50 rows → 1 message).
    queueMicrotask(() => {
      this.flushQueued = false;
      const ws = this.ws;
      if (!ws || ws.readyState !== WebSocket.OPEN) return;
      const send = (type: string, list: Set<string>) => {
        const all = [...list];
        list.clear();
        for (let i = 0; i < all.length; i += BATCH) ws.send(JSON.stringify({ type, series: all.slice(i, i + BATCH) }));
      };
      if (this.pendingUnsub.size) send("metrics.unsubscribe", this.pendingUnsub);
      if (this.pendingSub.size) send("metrics.subscribe", this.pendingSub);
    });
  }
}

export const metricsClient = new MetricsClient();
