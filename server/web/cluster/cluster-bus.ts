// The event bus of a server that has peers (decision 0005). Local publishes go to this
// server's sockets as before and also to the relay, which sends them to the other servers;
// what they publish comes back in through inject() and is published here with this bus's
// own sequence numbers. The whole argument list travels, so whatever a publish carries
// (now or after a later change to the bus) reaches the other servers unchanged.
import { EventBus } from "../events/bus";

type PublishArgs = Parameters<EventBus["publish"]>;
type TransientArgs = Parameters<EventBus["transient"]>;

/** One bus call as it crosses to the other servers. */
export type Forwarded = { m: "publish"; args: PublishArgs } | { m: "transient"; args: TransientArgs };

export class ClusterBus extends EventBus {
  private forward: ((f: Forwarded) => void) | null = null;
  private readonly remote = new Set<(f: Forwarded, origin: string) => void>();

  override publish(...args: PublishArgs): void {
    super.publish(...args);
    this.forward?.({ m: "publish", args });
  }

  override transient(...args: TransientArgs): void {
    super.transient(...args);
    this.forward?.({ m: "transient", args });
  }

  /** Where local publishes are sent from now on (null: nowhere). */
  forwardTo(f: ((f: Forwarded) => void) | null): void {
    this.forward = f;
  }

  /**
   * Called with each event another server published (and its origin), before this
   * server's sockets get it: the inventory mirror is current when a browser refetches.
   */
  onRemote(l: (f: Forwarded, origin: string) => void): () => void {
    this.remote.add(l);
    return () => void this.remote.delete(l);
  }

  /** An event another server published (`origin`; none: this server's own, local only): to this server's sockets, not back out. */
  inject(f: Forwarded, origin?: string): void {
    if (origin)
      for (const l of this.remote) {
        try {
          l(f, origin);
        } catch (err) {
          console.error("[cluster] remote event listener failed:", err);
        }
      }
    if (f.m === "publish") super.publish(...f.args);
    else super.transient(...f.args);
  }
}
