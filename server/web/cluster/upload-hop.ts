// Volume uploads to a host whose agent is connected to a peer server (decision 0005,
// consoles and streams): the request was authorised here (storage.manage on the host);
// its body is streamed on to the peer's /internal/uploads/volume as it arrives (the
// socket's flow control: a slow peer slows the browser, nothing is held here), the peer
// runs the upload verb as for its own browser (task row, progress, audit, agent data
// channel), and its answer, success or refusal, is answered here as it came.
import http from "node:http";
import { ApiError, type ErrorCode } from "../http/errors";
import { closing, discard } from "../http/body";
import type { Caller } from "../services/caller";
import type { VolumeUploadInput } from "../services/volume-upload";
import type { Services } from "../services";
import { clusterHeaders } from "./internal-auth";
import type { Peer } from "./stream-hop";

export const INTERNAL_VOLUME_UPLOAD_PATH = "/internal/uploads/volume";
/** Who asked, for the peer's task row and audit: base64url JSON { userId, ip }. */
export const CALLER_HEADER = "x-hangar-caller";
/** A refused body is still read (and dropped) this far, as on the local path. */
const DRAIN_BYTES = 1024 * 1024;

interface PeerAnswer {
  status: number;
  json: unknown;
}

/** Bytes let queue towards the peer before the next read of the body waits (as stream-upload.ts). */
const IN_FLIGHT_BYTES = 2 * 1024 * 1024;

/**
 * Sends the body as it is read; resolves with the peer's answer and whether the body was
 * read to its end. A peer that answers early (a refusal) stops the sending; what is left
 * of the body is then dropped, up to DRAIN_BYTES, never cancelled (see ../http/body.ts).
 */
function post(
  url: URL,
  headers: Record<string, string>,
  reader: ReadableStreamDefaultReader<Uint8Array> | null,
): Promise<{ answer: PeerAnswer; ended: boolean }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: "POST", headers });
    let answered = false;
    let ended = reader === null;
    const pump = async () => {
      while (reader && !answered) {
        const { done, value } = await reader.read();
        if (done) {
          ended = true;
          break;
        }
        if (answered || req.destroyed) break;
        if (!req.write(value) && req.writableLength >= IN_FLIGHT_BYTES) await new Promise<void>((r) => (req.once("drain", r), req.once("close", r)));
      }
      if (!answered) req.end();
    };
    void pump().catch(() => req.destroy());
    req.once("response", (res) => {
      answered = true;
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (text += c));
      res.on("end", () => {
        let json: unknown = null;
        try {
          json = JSON.parse(text);
        } catch {
          /* the status says it */
        }
        const finish = (e: boolean) => resolve({ answer: { status: res.statusCode ?? 502, json }, ended: e });
        if (ended || !reader) return finish(ended);
        void discard(reader, DRAIN_BYTES).then(finish, () => finish(false));
      });
      res.once("error", reject);
    });
    req.once("error", (err) => {
      if (!answered) reject(new ApiError("unavailable", `The server holding this host is unreachable: ${err.message}`));
    });
  });
}

export async function forwardVolumeUpload(
  svc: Pick<Services, "config">,
  peer: Peer,
  caller: Caller,
  o: VolumeUploadInput,
): Promise<{ volume: unknown; bytes: number; task: unknown }> {
  const secret = svc.config.clusterSecret;
  if (!secret) throw new ApiError("unavailable", "The host's agent is on another server and no cluster secret is set");
  const url = new URL(INTERNAL_VOLUME_UPLOAD_PATH, peer.url);
  url.searchParams.set("hostId", o.hostId);
  url.searchParams.set("pool", o.pool);
  url.searchParams.set("name", o.name);
  url.searchParams.set("overwrite", o.overwrite ? "1" : "0");
  const headers: Record<string, string> = {
    ...clusterHeaders(secret),
    "content-type": "application/octet-stream",
    [CALLER_HEADER]: Buffer.from(JSON.stringify({ userId: caller.user.id, ip: caller.ip })).toString("base64url"),
  };
  const length = o.req.headers.get("content-length");
  if (length !== null) headers["content-length"] = length;
  const { answer, ended } = await post(url, headers, o.req.body?.getReader() ?? null);
  if (answer.status === 201) return answer.json as { volume: unknown; bytes: number; task: unknown };
  const e = (answer.json as { error?: { code?: ErrorCode; message?: string; fields?: Record<string, string> } } | null)?.error;
  const err = new ApiError(e?.code ?? "internal", e?.message ?? `The server holding this host answered ${answer.status}`, e?.fields);
  // A body the peer refused before reading it all is not read on here either.
  throw ended ? err : closing(err);
}
