// What the agent hub tells the rest of the server, as typed subscriptions: any number of
// listeners per event, each with its own unsubscribe (a second subscriber never replaces
// the first). Wired in one place, main.ts.
import type { ContainerSummary, DomainSummary, MetricSample } from "../../protocol";

export interface HubEvents {
  /** The agent said hello (connected or reconnected). */
  online: [hostId: string];
  /** The agent went away: calls in flight on it can no longer be confirmed. */
  offline: [hostId: string];
  /** A full domain inventory arrived (after connect or a libvirtd restart). */
  domains: [hostId: string, domains: ReadonlyMap<string, DomainSummary>];
  /** A full container inventory arrived (after connect or an engine restart). */
  containers: [hostId: string, containers: ReadonlyMap<string, ContainerSummary>];
  /** One sampling tick from the agent. */
  metrics: [hostId: string, coarse: boolean, samples: MetricSample[]];
}

type Handler<K extends keyof HubEvents> = (...args: HubEvents[K]) => void;

export class HubEmitter {
  // Keyed by event name; each set holds only handlers of its own event (see `on`).
  private readonly handlers = new Map<keyof HubEvents, Set<unknown>>();

  on<K extends keyof HubEvents>(event: K, fn: Handler<K>): () => void {
    let set = this.handlers.get(event);
    if (!set) this.handlers.set(event, (set = new Set()));
    set.add(fn);
    return () => void set.delete(fn);
  }

  emit<K extends keyof HubEvents>(event: K, ...args: HubEvents[K]): void {
    for (const fn of (this.handlers.get(event) ?? []) as Set<Handler<K>>) {
      try {
        fn(...args);
      } catch (err) {
        console.error(`[hub] ${event} listener failed:`, err);
      }
    }
  }
}
