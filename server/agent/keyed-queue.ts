// Work for one object (a domain, a container) runs in order: a burst of engine events for
// it must not be applied out of order by overlapping lookups. Different keys run freely.
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<void>>();

  /** Runs `work` after everything queued for `key` so far; `work` must not throw. */
  run(key: string, work: () => Promise<void>): void {
    const next = (this.tails.get(key) ?? Promise.resolve()).then(work);
    this.tails.set(key, next);
    void next.finally(() => {
      if (this.tails.get(key) === next) this.tails.delete(key);
    });
  }
}
