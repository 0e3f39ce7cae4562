// Prunes the audit log past its retention (services/audit-retention.ts) at start and then
// every `intervalMs`. A failed run is logged and retried at the next tick.
import type { Db } from "./db/client";
import { pruneAudit } from "./services/audit-retention";

export function startAuditPruneJob(db: Db, intervalMs: number): () => void {
  let running = false;
  const run = async () => {
    if (running) return;
    running = true;
    try {
      await pruneAudit(db);
    } catch (err) {
      console.error("[audit] prune failed:", (err as Error).message);
    } finally {
      running = false;
    }
  };
  void run();
  const timer = setInterval(() => void run(), intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
