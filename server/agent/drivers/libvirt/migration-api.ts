// The libvirt procedures live migration needs, one thin function each, named after the C API
// (virDomainMigratePerform3Params → domainMigratePerform3Params). Wire shapes from libvirt's
// remote_protocol.x (cross-checked against digitalocean/go-libvirt).
import { Proc, type CallOptions, type DomainRef, type LibvirtClient } from "../../libvirt";
import { TypedParamType } from "../../libvirt/procedures";
import { readTypedParam, typedParamsToRecord, writeDomain, writeTypedParam, type TypedParam, type TypedParamValue } from "../../libvirt/wire-types";

/** virDomainMigrateFlags used here. */
export const MigrateFlags = { LIVE: 1, PEER2PEER: 2, PERSIST_DEST: 8, UNDEFINE_SOURCE: 16, ABORT_ON_ERROR: 4096 } as const;
/** virDomainJobType: the `type` of a job-stats answer. */
export const JobType = { NONE: 0, BOUNDED: 1, UNBOUNDED: 2, COMPLETED: 3, FAILED: 4, CANCELLED: 5 } as const;
/** REMOTE_DOMAIN_MIGRATE_PARAM_LIST_MAX and REMOTE_DOMAIN_JOB_STATS_MAX. */
const PARAM_LIST_MAX = 64;
const JOB_STATS_MAX = 64;
/** REMOTE_MIGRATE_COOKIE_MAX. */
const COOKIE_MAX = 4 * 1024 * 1024;

/** Typed migration parameters (VIR_MIGRATE_PARAM_*): only those Hangar sets. */
export interface MigrateParamValues {
  /** "bandwidth": MiB/s cap on the migration stream. */
  bandwidthMiBps?: number;
}

function migrateParams(v: MigrateParamValues): TypedParam[] {
  const out: TypedParam[] = [];
  if (v.bandwidthMiBps !== undefined) out.push({ field: "bandwidth", type: TypedParamType.ULLONG, value: BigInt(v.bandwidthMiBps) });
  return out;
}

/**
 * Peer-to-peer migration as virDomainMigrateToURI3(VIR_MIGRATE_PEER2PEER) sends it: one call
 * to the SOURCE daemon, which connects to `dconnuri` itself and runs begin/prepare/perform/
 * finish/confirm with the destination. Returns when the migration has ended (or failed).
 */
export function domainMigratePerform3Params(
  client: LibvirtClient,
  dom: DomainRef,
  dconnuri: string,
  params: MigrateParamValues,
  flags: number,
  opts?: CallOptions,
): Promise<void> {
  return client.call(
    Proc.DOMAIN_MIGRATE_PERFORM3_PARAMS,
    (w) => {
      writeDomain(w, dom);
      w.optional(dconnuri, (x, s) => x.string(s));
      w.array(migrateParams(params), writeTypedParam, PARAM_LIST_MAX);
      w.opaque(Buffer.alloc(0), COOKIE_MAX); // cookie_in: none from a previous phase in p2p
      w.uint(flags);
    },
    (r) => void r.opaque(COOKIE_MAX), // cookie_out: only for managed (non-p2p) migration
    opts,
  );
}

export interface JobStats {
  /** JobType.* */
  type: number;
  stats: Record<string, TypedParamValue>;
}

/** The domain's current job (a migration while one runs): libvirt's typed statistics. */
export function domainGetJobStats(client: LibvirtClient, dom: DomainRef, flags = 0, opts?: CallOptions): Promise<JobStats> {
  return client.call(
    Proc.DOMAIN_GET_JOB_STATS,
    (w) => {
      writeDomain(w, dom);
      w.uint(flags);
    },
    (r) => {
      const type = r.int();
      return { type, stats: typedParamsToRecord(r.array(readTypedParam, JOB_STATS_MAX)) };
    },
    opts,
  );
}

/** Aborts the domain's running job; a migration then fails on the source, the VM keeps running there. */
export function domainAbortJob(client: LibvirtClient, dom: DomainRef, opts?: CallOptions): Promise<void> {
  return client.call(Proc.DOMAIN_ABORT_JOB, (w) => writeDomain(w, dom), undefined, opts);
}
