// One error shape for every API response: { error: { code, message, fields? } }.
export type ErrorCode =
  | "bad_request"
  | "unauthenticated"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "gone"
  | "payload_too_large"
  | "invalid"
  | "rate_limited"
  | "unavailable"
  | "storage_full"
  | "internal";

const STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  // A one-time link that existed but is used, expired or revoked.
  gone: 410,
  payload_too_large: 413,
  invalid: 422,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
  storage_full: 507,
};

// Services are built into the custom server's bundle and route handlers into Next's, so
// one error class exists twice at run time: recognise it by a global brand, not instanceof.
const BRAND = Symbol.for("hangar.ApiError");

export function isApiError(e: unknown): e is ApiError {
  return typeof e === "object" && e !== null && (e as Record<symbol, unknown>)[BRAND] === true;
}

export class ApiError extends Error {
  readonly [BRAND] = true;
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields?: Record<string, string>,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.status = STATUS[code];
  }
}

export function errorBody(e: ApiError): { error: { code: ErrorCode; message: string; fields?: Record<string, string> } } {
  return { error: { code: e.code, message: e.message, ...(e.fields ? { fields: e.fields } : {}) } };
}
