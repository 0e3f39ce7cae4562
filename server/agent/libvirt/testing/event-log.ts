// Records one kind of client event and waits for a matching one (past or future), so
// tests wait on libvirt's own events instead of on time.
import type { LibvirtClient, LibvirtClientEvents } from "../client";

export class EventLog<K extends keyof LibvirtClientEvents> {
  readonly seen: LibvirtClientEvents[K][0][] = [];
  private waiters: Array<() => void> = [];

  constructor(client: LibvirtClient, kind: K) {
    const on = client.on.bind(client) as (k: K, l: (e: LibvirtClientEvents[K][0]) => void) => void;
    on(kind, (e) => {
      this.seen.push(e);
      for (const w of this.waiters.splice(0)) w();
    });
  }

  /** Resolves with the first event matching `pred`; rejects after `timeoutMs` (a bound, not a wait). */
  waitFor(pred: (e: LibvirtClientEvents[K][0]) => boolean, what: string, timeoutMs = 15_000): Promise<LibvirtClientEvents[K][0]> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no event "${what}" within ${timeoutMs} ms`)), timeoutMs);
      const check = () => {
        const hit = this.seen.find(pred);
        if (hit === undefined) return this.waiters.push(check);
        clearTimeout(timer);
        resolve(hit);
      };
      check();
    });
  }
}
