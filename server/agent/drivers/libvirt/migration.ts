// Live migration, peer to peer: the source libvirtd connects to the destination's URI and
// drives the whole protocol; the agent makes one call and, while it runs, polls libvirt's
// job statistics for progress and aborts the job on cancel (the VM then keeps running on
// the source, untouched). Both hosts' inventories follow from libvirt's own lifecycle
// events (stopped/undefined here, defined/started there), not from anything sent here.
import type { MigrateResult } from "../../../protocol";
import { connectGetCapabilities, domainGetState, DomainState, ErrorCode, LibvirtError, type DomainRef, type LibvirtClient } from "../../libvirt";
import { DriverError } from "../driver";
import { fieldError, toDriverError } from "./vm-edit/errors";
import { domainAbortJob, domainGetJobStats, domainMigratePerform3Params, JobType, MigrateFlags } from "./migration-api";

export interface MigrateOptions {
  destinationUri: string;
  persist: boolean;
  undefineSource: boolean;
  bandwidthMiBps?: number;
}

/** How often job statistics are read while the migration runs. */
const POLL_MS = 500;

/** libvirt's errors for a destination the source daemon could not open at all. */
const UNREACHABLE = new Set<number>([ErrorCode.SYSTEM_ERROR, ErrorCode.NO_CONNECT, ErrorCode.AUTH_FAILED, ErrorCode.RPC]);

const num = (v: unknown): number | null => (typeof v === "bigint" ? Number(v) : typeof v === "number" ? v : null);

export async function migrateDomain(
  c: LibvirtClient,
  dom: DomainRef,
  o: MigrateOptions,
  signal: AbortSignal,
  onProgress: (done: number, total: number | null) => void,
): Promise<MigrateResult> {
  const { state } = await domainGetState(c, dom);
  if (state !== DomainState.RUNNING && state !== DomainState.PAUSED)
    throw new DriverError("invalid_state", `${dom.name} is not running: only a running VM migrates live`);
  signal.throwIfAborted();
  const flags =
    MigrateFlags.LIVE |
    MigrateFlags.PEER2PEER |
    // An I/O error on a disk during the copy fails the migration instead of pausing the VM.
    MigrateFlags.ABORT_ON_ERROR |
    (o.persist ? MigrateFlags.PERSIST_DEST : 0) |
    (o.undefineSource ? MigrateFlags.UNDEFINE_SOURCE : 0);
  const started = Date.now();
  let processed: number | null = null;
  let settled = false;
  // No client-side timeout: a big VM on a slow link takes as long as it takes; the server's
  // task deadline and a cancel (abort job) bound it.
  const perform = domainMigratePerform3Params(c, dom, o.destinationUri, { bandwidthMiBps: o.bandwidthMiBps }, flags, { timeoutMs: 0 }).finally(() => {
    settled = true;
  });
  const poll = (async () => {
    while (!settled) {
      // A cancel before libvirt has started its job ("no job active") is retried each tick.
      if (signal.aborted) await domainAbortJob(c, dom).catch(() => undefined);
      const job = await domainGetJobStats(c, dom).catch(() => null);
      if (job && (job.type === JobType.BOUNDED || job.type === JobType.UNBOUNDED)) {
        const done = num(job.stats.data_processed);
        const total = num(job.stats.data_total);
        if (done !== null) {
          processed = done;
          // Dirty memory is sent again, so processed can pass the first total.
          onProgress(total !== null ? Math.min(done, total) : done, total);
        }
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  })();
  try {
    await perform;
  } catch (err) {
    // libvirt's job exists from the first phase on, before the destination is dialled: only
    // bytes sent say the destination was reached.
    throw migrationError(err, o.destinationUri, (processed ?? 0) > 0);
  } finally {
    await poll;
  }
  return { uuid: dom.uuid, name: dom.name, durationMs: Date.now() - started, dataProcessed: processed };
}

/** libvirt's refusal, naming the request's destination where the destination is the cause. */
function migrationError(err: unknown, uri: string, sentData: boolean): DriverError {
  if (!(err instanceof LibvirtError)) return toDriverError(err);
  if (/same host/i.test(err.message)) return fieldError("destinationUri", `${err.message} (both host records reach one libvirtd)`);
  if (!sentData && UNREACHABLE.has(err.code)) return fieldError("destinationUri", `the source libvirtd cannot reach ${uri}: ${err.message}`);
  if (err.code === ErrorCode.CPU_INCOMPATIBLE) return fieldError("destinationUri", `the target host's CPU cannot run this VM: ${err.message}`);
  if (err.code === ErrorCode.MIGRATE_UNSAFE) return new DriverError("invalid_state", err.message);
  if (err.code === ErrorCode.OPERATION_ABORTED) return new DriverError("cancelled", `migration aborted; the VM keeps running here: ${err.message}`);
  return toDriverError(err);
}

/** libvirt's host UUID (<host><uuid> of the capabilities): two daemons with one UUID are one host to libvirt. */
export async function hostUuid(c: LibvirtClient): Promise<string | null> {
  const caps = await connectGetCapabilities(c);
  return /<host>\s*<uuid>([0-9a-f-]{36})<\/uuid>/.exec(caps)?.[1] ?? null;
}
