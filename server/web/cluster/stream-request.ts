// What one server asks of the peer that holds a host's agent when a browser on it opens a
// console, serial console, log follow or exec shell (decision 0005, consoles). The browser
// was authorised where it connected: the ticket redeemed there, the right checked there.
// This is only what the peer needs to dial the agent, plus who asked (for its logs).
import { z } from "zod";

/** The request, as base64url JSON in one header of the peer's /internal/stream upgrade. */
export const STREAM_REQUEST_HEADER = "x-hangar-stream";
export const INTERNAL_STREAM_PATH = "/internal/stream";
/** An exec shell's new size, for the stream spliced on the peer: JSON { channel, cols, rows }. */
export const INTERNAL_RESIZE_PATH = "/internal/stream/resize";

export const PeerStreamRequest = z.strictObject({
  hostId: z.string().min(1).max(200),
  uuid: z.string().min(1).max(200),
  kind: z.enum(["vnc", "serial", "exec", "logs"]),
  /** The browser server's console channel, used as the agent channel too (exec resizes name it). */
  channel: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/),
  cols: z.number().int().min(1).max(1000).optional(),
  rows: z.number().int().min(1).max(1000).optional(),
  userId: z.string().min(1).max(200),
  user: z.string().min(1).max(200),
});
export type PeerStreamRequest = z.infer<typeof PeerStreamRequest>;

export function encodeStreamRequest(r: PeerStreamRequest): string {
  return Buffer.from(JSON.stringify(r)).toString("base64url");
}

/** The request, or why it was refused (naming the field). */
export function decodeStreamRequest(header: string | string[] | undefined): PeerStreamRequest | { refused: string } {
  if (typeof header !== "string" || !header) return { refused: `${STREAM_REQUEST_HEADER} header required` };
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(header, "base64url").toString("utf8"));
  } catch {
    return { refused: `${STREAM_REQUEST_HEADER} is not base64url JSON` };
  }
  const r = PeerStreamRequest.safeParse(json);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  return { refused: `${issue?.path.join(".") || "request"}: ${issue?.message ?? "invalid"}` };
}
