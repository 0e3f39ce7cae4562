// Shared remote_protocol.x structures: domain identity, typed parameters, remote_error.
import { TypedParamType } from "./procedures";
import { XdrError, type XdrReader, type XdrWriter } from "./xdr";

/** remote_nonnull_domain. `id` is -1 for a domain that is not running. */
export interface DomainRef {
  name: string;
  /** Lower-case hex with dashes, as libvirt prints it. */
  uuid: string;
  id: number;
}

const UUID_BYTES = 16;
const UUID_RE = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

export function uuidToBytes(uuid: string): Buffer {
  if (!UUID_RE.test(uuid)) throw new XdrError(`not a UUID: ${uuid}`);
  return Buffer.from(uuid.replace(/-/g, ""), "hex");
}

export function uuidFromBytes(bytes: Buffer): string {
  const h = bytes.toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export function writeDomain(w: XdrWriter, dom: DomainRef): void {
  w.string(dom.name).fixedOpaque(uuidToBytes(dom.uuid), UUID_BYTES).int(dom.id);
}

export function readDomain(r: XdrReader): DomainRef {
  const name = r.string();
  const uuid = uuidFromBytes(r.fixedOpaque(UUID_BYTES));
  return { name, uuid, id: r.int() };
}

/** remote_nonnull_network (also the shape of remote_nonnull_storage_pool). */
export interface NetworkRef {
  name: string;
  uuid: string;
}

export function readNetwork(r: XdrReader): NetworkRef {
  return { name: r.string(), uuid: uuidFromBytes(r.fixedOpaque(UUID_BYTES)) };
}

export function writeNetwork(w: XdrWriter, net: NetworkRef): void {
  w.string(net.name).fixedOpaque(uuidToBytes(net.uuid), UUID_BYTES);
}

/** remote_nonnull_storage_pool. */
export interface PoolRef {
  name: string;
  uuid: string;
}

export const readPool: (r: XdrReader) => PoolRef = readNetwork;
export const writePool: (w: XdrWriter, pool: PoolRef) => void = writeNetwork;

/** remote_nonnull_storage_vol: `pool` is the pool's name, `key` libvirt's unique key (the path for dir pools). */
export interface VolumeRef {
  pool: string;
  name: string;
  key: string;
}

export function readVol(r: XdrReader): VolumeRef {
  return { pool: r.string(), name: r.string(), key: r.string() };
}

export function writeVol(w: XdrWriter, v: VolumeRef): void {
  w.string(v.pool).string(v.name).string(v.key);
}

/** remote_nonnull_domain_snapshot: a snapshot is named within its domain. */
export interface SnapshotRef {
  name: string;
  dom: DomainRef;
}

export function readSnapshot(r: XdrReader): SnapshotRef {
  return { name: r.string(), dom: readDomain(r) };
}

export function writeSnapshot(w: XdrWriter, s: SnapshotRef): void {
  w.string(s.name);
  writeDomain(w, s.dom);
}

/** A typed parameter value: 64-bit integers as bigint, booleans as boolean. */
export type TypedParamValue = number | bigint | boolean | string;

export interface TypedParam {
  field: string;
  type: number;
  value: TypedParamValue;
}

/** libvirt's VIR_TYPED_PARAM_FIELD_LENGTH (80, including the C string's NUL). */
const TYPED_PARAM_FIELD_MAX = 80;

export function readTypedParam(r: XdrReader): TypedParam {
  const field = r.string(TYPED_PARAM_FIELD_MAX);
  const type = r.int();
  let value: TypedParamValue;
  switch (type) {
    case TypedParamType.INT:
      value = r.int();
      break;
    case TypedParamType.UINT:
      value = r.uint();
      break;
    case TypedParamType.LLONG:
      value = r.hyper();
      break;
    case TypedParamType.ULLONG:
      value = r.uhyper();
      break;
    case TypedParamType.DOUBLE:
      value = r.double();
      break;
    case TypedParamType.BOOLEAN:
      // On the wire a boolean is an int; libvirt treats any non-zero as true.
      value = r.int() !== 0;
      break;
    case TypedParamType.STRING:
      value = r.string();
      break;
    default:
      // The union has no default arm: an unknown discriminant leaves the rest of the
      // message undecodable, so fail rather than guess the value's size.
      throw new XdrError(`unknown typed parameter type ${type} for field ${field}`);
  }
  return { field, type, value };
}

export function writeTypedParam(w: XdrWriter, p: TypedParam): void {
  w.string(p.field, TYPED_PARAM_FIELD_MAX).int(p.type);
  const v = p.value;
  switch (p.type) {
    case TypedParamType.INT:
      w.int(asNumber(v, p.field));
      break;
    case TypedParamType.UINT:
      w.uint(asNumber(v, p.field));
      break;
    case TypedParamType.LLONG:
      w.hyper(asBigInt(v, p.field));
      break;
    case TypedParamType.ULLONG:
      w.uhyper(asBigInt(v, p.field));
      break;
    case TypedParamType.DOUBLE:
      w.double(asNumber(v, p.field));
      break;
    case TypedParamType.BOOLEAN:
      w.int(v ? 1 : 0);
      break;
    case TypedParamType.STRING:
      if (typeof v !== "string") throw new XdrError(`typed parameter ${p.field} needs a string`);
      w.string(v);
      break;
    default:
      throw new XdrError(`unknown typed parameter type ${p.type} for field ${p.field}`);
  }
}

function asNumber(v: TypedParamValue, field: string): number {
  if (typeof v === "number") return v;
  throw new XdrError(`typed parameter ${field} needs a number`);
}

function asBigInt(v: TypedParamValue, field: string): bigint {
  if (typeof v === "bigint") return v;
  if (typeof v === "number" && Number.isSafeInteger(v)) return BigInt(v);
  throw new XdrError(`typed parameter ${field} needs an integer`);
}

/** Typed parameters as a plain record, in wire order; later duplicates win. */
export function typedParamsToRecord(params: readonly TypedParam[]): Record<string, TypedParamValue> {
  const out: Record<string, TypedParamValue> = {};
  for (const p of params) out[p.field] = p.value;
  return out;
}

/** remote_error, the body of every REPLY (and STREAM) with status ERROR. */
export interface RemoteError {
  code: number;
  /** virErrorDomain: which libvirt subsystem raised it (10 = QEMU, 20 = domain, …). */
  domain: number;
  message: string | null;
  level: number;
  dom: DomainRef | null;
  str1: string | null;
  str2: string | null;
  str3: string | null;
  int1: number;
  int2: number;
  net: NetworkRef | null;
}

export function readRemoteError(r: XdrReader): RemoteError {
  const code = r.int();
  const domain = r.int();
  const message = r.optional((x) => x.string());
  const level = r.int();
  const base = { code, domain, message, level };
  // The trailing fields only add context; a daemon that trims them must not turn a
  // readable error into a decoding failure.
  try {
    return {
      ...base,
      dom: r.optional(readDomain),
      str1: r.optional((x) => x.string()),
      str2: r.optional((x) => x.string()),
      str3: r.optional((x) => x.string()),
      int1: r.int(),
      int2: r.int(),
      net: r.optional(readNetwork),
    };
  } catch {
    return { ...base, dom: null, str1: null, str2: null, str3: null, int1: 0, int2: 0, net: null };
  }
}
