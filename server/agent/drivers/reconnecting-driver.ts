// The part every driver repeats: one connection to a local daemon (libvirtd, the container
// engine) that can drop, retried with capped backoff, and a stream of pushed events. A
// driver supplies connect() and disconnect(); reporting a lost connection and scheduling
// the retry happen here, the same way for all of them.
import { EventEmitter } from "node:events";
import type { AgentEvent } from "../../protocol";
import { Backoff, type BackoffOptions } from "../backoff";

export abstract class ReconnectingDriver {
  private readonly events = new EventEmitter();
  protected readonly backoff: Backoff;

  constructor(
    readonly name: string,
    backoff: BackoffOptions,
    private readonly logger?: (m: string) => void,
  ) {
    this.backoff = new Backoff(() => void this.connect().catch(() => undefined), backoff);
  }

  /** One connection attempt. A failed attempt calls retry() (and may throw). */
  protected abstract connect(): Promise<void>;
  /** Closes the current connection, if any (the retry timer is already stopped). */
  protected abstract disconnect(): Promise<void>;

  onEvent(listener: (e: AgentEvent) => void): void {
    this.events.on("event", listener);
  }

  protected emit(e: AgentEvent): void {
    this.events.emit("event", e);
  }

  protected log(m: string): void {
    (this.logger ?? ((x: string) => console.log(`[agent/${this.name}] ${x}`)))(m);
  }

  /** A first attempt; when it fails the driver keeps retrying in the background. */
  async start(): Promise<void> {
    await this.connect().catch(() => undefined);
  }

  async stop(): Promise<void> {
    this.backoff.stop();
    await this.disconnect().catch(() => undefined);
  }

  /** An attempt failed: say so (when `message` is given), push the status, try again later. */
  protected retry(status: AgentEvent, message: string | null): void {
    if (message !== null) this.log(message);
    this.emit(status);
    this.backoff.schedule();
  }

  /** An established connection dropped: the same as a failed attempt, unless we are stopping. */
  protected lost(status: AgentEvent, message: string): void {
    if (this.backoff.stopped) return;
    this.retry(status, message);
  }
}
