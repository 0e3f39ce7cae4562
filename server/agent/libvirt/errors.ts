// Errors surfaced by the library: libvirt's own (LibvirtError) and transport failures.
import { ErrorCode } from "./procedures";
import { readRemoteError, type RemoteError } from "./wire-types";
import { XdrReader } from "./xdr";

/** An error reported by libvirt itself (as opposed to transport or protocol failures). */
export class LibvirtError extends Error {
  readonly code: number;
  readonly domain: number;
  readonly level: number;
  /** The procedure that failed, for logs. */
  readonly proc: number | null;
  readonly details: RemoteError | null;

  constructor(code: number, domain: number, message: string, opts: { level?: number; proc?: number | null; details?: RemoteError | null } = {}) {
    super(message);
    this.name = "LibvirtError";
    this.code = code;
    this.domain = domain;
    this.level = opts.level ?? 2;
    this.proc = opts.proc ?? null;
    this.details = opts.details ?? null;
  }

  static fromRemote(e: RemoteError, proc: number | null = null): LibvirtError {
    return new LibvirtError(e.code, e.domain, e.message ?? `libvirt error ${e.code}`, { level: e.level, proc, details: e });
  }

  get isNoDomain(): boolean {
    return this.code === ErrorCode.NO_DOMAIN;
  }

  get isOperationInvalid(): boolean {
    return this.code === ErrorCode.OPERATION_INVALID;
  }
}

/** Thrown for calls that could not complete because the connection went away. */
export class ConnectionClosedError extends Error {
  constructor(message = "libvirt connection closed") {
    super(message);
    this.name = "ConnectionClosedError";
  }
}

export class CallTimeoutError extends Error {
  constructor(
    readonly proc: number,
    readonly timeoutMs: number,
  ) {
    super(`libvirt procedure ${proc} timed out after ${timeoutMs} ms`);
    this.name = "CallTimeoutError";
  }
}

/** Decodes a remote_error body; an undecodable one still yields a LibvirtError (RPC). */
export function decodeError(body: Buffer, proc: number | null): LibvirtError {
  try {
    return LibvirtError.fromRemote(readRemoteError(new XdrReader(body)), proc);
  } catch {
    return new LibvirtError(ErrorCode.RPC, 0, `undecodable error reply (${body.length} bytes) for procedure ${proc ?? "?"}`, { proc });
  }
}
