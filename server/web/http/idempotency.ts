import { ApiError } from "./errors";

/** The request's Idempotency-Key header (a retried POST returns the same task), validated. */
export function idempotencyKey(req: Request): string | null {
  const key = req.headers.get("idempotency-key");
  if (key !== null && !/^[A-Za-z0-9_.:-]{8,128}$/.test(key))
    throw new ApiError("invalid", "Idempotency-Key must be 8-128 letters, digits or ._:-", { "Idempotency-Key": "8-128 characters [A-Za-z0-9_.:-]" });
  return key;
}
