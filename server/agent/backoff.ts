// One retry timer for a connection that can drop (libvirtd, the container engine, the
// Hangar server): capped exponential delays, at most one pending retry, none after stop().

export interface BackoffOptions {
  firstMs: number;
  maxMs: number;
  /** Wait 0.5-1× of each step, so a fleet of agents does not retry in lockstep. */
  jitter?: boolean;
  /** Do not keep the process alive just to retry. */
  unref?: boolean;
}

export class Backoff {
  private attempt = 0;
  private timer: NodeJS.Timeout | null = null;
  private halted = false;

  constructor(
    private readonly retry: () => void,
    private readonly o: BackoffOptions,
  ) {}

  /** True once stop() was called: connection-lost handlers check it before retrying. */
  get stopped(): boolean {
    return this.halted;
  }

  /** Failed attempts since the last success (0 on the first failure). */
  get failures(): number {
    return this.attempt;
  }

  /** Schedules the next retry unless one is pending; `fixedMs` waits that long without
   * counting an attempt (for "nothing to connect to yet", which is not a failure). */
  schedule(fixedMs?: number): void {
    if (this.halted || this.timer) return;
    let delay = fixedMs;
    if (delay === undefined) {
      const step = Math.min(this.o.maxMs, this.o.firstMs * 2 ** Math.min(this.attempt++, 30));
      delay = this.o.jitter ? Math.round(step / 2 + Math.random() * (step / 2)) : step;
    }
    this.timer = setTimeout(() => {
      this.timer = null;
      this.retry();
    }, delay);
    if (this.o.unref) this.timer.unref();
  }

  succeeded(): void {
    this.attempt = 0;
  }

  stop(): void {
    this.halted = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
