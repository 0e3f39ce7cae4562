// Refused request bodies and keep-alive. A client that pools connections sends its next
// request on the connection of the one refused; so a refused body is read to its end and
// dropped (up to a bound) before the answer, and the connection stays usable. Cancelling
// the body instead destroys the connection (the next request, or even the answer, is cut),
// and a rest left unread would be taken for the next request. A body longer than the bound
// is not read on: the answer then says Connection: close.
import { ApiError } from "./errors";

/** How far past a JSON body's limit of `max` bytes a refused body is still read. */
export function drainLimit(max: number): number {
  return Math.max(1024 * 1024, 4 * max);
}

/** Reads and drops at most `budget` more bytes of a body: true when it ended within them. */
export async function discard(reader: ReadableStreamDefaultReader<Uint8Array>, budget: number): Promise<boolean> {
  for (let left = budget; left >= 0;) {
    const { done, value } = await reader.read();
    if (done) return true;
    left -= value.byteLength;
  }
  // Not cancelled: that would destroy the connection before the answer is written.
  return false;
}

/** The same refusal, telling the client not to reuse the connection (its body's rest is unread). */
export function closing(e: ApiError): ApiError {
  return new ApiError(e.code, e.message, e.fields, { ...e.headers, Connection: "close" });
}
