// How VM edits report failures: libvirt's refusals as protocol codes with libvirt's own
// message, and input errors that name the request field ("mib: …") so the server can
// answer a 4xx naming it (server/web/services/vm-edit.ts reads the prefix back).
import { DriverError } from "../../driver";
import { ErrorCode, LibvirtError } from "../../../libvirt";

/** An input error about one field of the request. */
export function fieldError(field: string, message: string): DriverError {
  return new DriverError("invalid_input", `${field}: ${message}`);
}

/**
 * Refusals that mean "not like this while running" (QEMU cannot do it live, or the device
 * cannot be hot-plugged): the change then goes to the definition only, for the next boot.
 */
const NOT_LIVE = new Set<number>([
  ErrorCode.OPERATION_INVALID,
  ErrorCode.OPERATION_UNSUPPORTED,
  ErrorCode.CONFIG_UNSUPPORTED,
  ErrorCode.NO_SUPPORT,
  ErrorCode.ARGUMENT_UNSUPPORTED,
  ErrorCode.OPERATION_FAILED,
]);
export function refusedLive(err: unknown): boolean {
  return err instanceof LibvirtError && NOT_LIVE.has(err.code);
}

export function isLibvirt(err: unknown, code: number): boolean {
  return err instanceof LibvirtError && err.code === code;
}

/** Maps whatever a VM-edit step threw to a DriverError. */
export async function wrap<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (err) {
    throw toDriverError(err);
  }
}

export function toDriverError(err: unknown): DriverError {
  if (err instanceof DriverError) return err;
  if (err instanceof LibvirtError) {
    switch (err.code) {
      case ErrorCode.NO_DOMAIN:
      case ErrorCode.NO_DOMAIN_SNAPSHOT:
      case ErrorCode.NO_STORAGE_POOL:
      case ErrorCode.NO_STORAGE_VOL:
      case ErrorCode.NO_NETWORK:
        return new DriverError("not_found", err.message);
      case ErrorCode.OPERATION_INVALID:
      case ErrorCode.RESOURCE_BUSY:
        return new DriverError("invalid_state", err.message);
      case ErrorCode.DOM_EXIST:
      case ErrorCode.STORAGE_VOL_EXIST:
        return new DriverError("conflict", err.message);
      case ErrorCode.XML_ERROR:
      case ErrorCode.INVALID_ARG:
      case ErrorCode.CONFIG_UNSUPPORTED:
        return new DriverError("invalid_input", err.message);
      default:
        return new DriverError("libvirt_error", err.message);
    }
  }
  return new DriverError("libvirt_unavailable", (err as Error).message);
}
