// Volume upload verb: an ISO or disk image from the request body into a pool of a host, as
// a task (kind volume.upload, target volume `${pool}/${name}`), streamed by the shared
// upload path (../uploads/stream-upload.ts). The agent writes it under a temporary name
// and hashes it; the answer carries the SHA-256.
import { FORMAT_PROBE_BYTES, MAX_VOLUME_UPLOAD_BYTES, detectFormat, volumeNameProblem, type VolumeUploadResult } from "../../protocol/upload-methods";
import { isAgentCallError } from "../agents/agent-connection";
import { ApiError } from "../http/errors";
import type { Services } from "../services";
import { streamUpload } from "../uploads/stream-upload";
import type { Caller } from "./caller";
import { getHost } from "./hosts";
import { peerHolding } from "../cluster/stream-hop";
import { forwardVolumeUpload } from "../cluster/upload-hop";

/** Time allowed per byte on top of a fixed margin: a slow link (5 MiB/s) still finishes. */
const MIN_RATE_BYTES_PER_S = 5 * 1024 * 1024;

export interface VolumeUploadInput {
  hostId: string;
  pool: string;
  name: string;
  overwrite: boolean;
  req: Request;
}

/** An agent's refusal of the upload, as the error naming the field at fault. */
function refusalOf(e: { code: string; message: string }, o: VolumeUploadInput): ApiError | null {
  if (e.code === "conflict")
    return new ApiError("conflict", e.message, { name: o.overwrite ? "cannot be replaced" : "already exists (send overwrite=1 to replace it)" });
  if (e.code === "not_found") return new ApiError("not_found", e.message, { pool: "no such pool on this host" });
  if (e.code === "invalid_state") return new ApiError("conflict", e.message, { pool: "not active" });
  if (e.code === "invalid_input" && e.message.startsWith("size:"))
    return new ApiError("payload_too_large", e.message, { size: e.message.slice(5).trim() });
  if (e.code === "invalid_input" && /directory pools/.test(e.message)) return new ApiError("invalid", e.message, { pool: "not a directory pool" });
  return null;
}

export async function uploadVolume(
  svc: Services,
  caller: Caller,
  o: VolumeUploadInput,
): Promise<{ volume: VolumeUploadResult | null; bytes: number; task: unknown }> {
  // The host's agent is on another server: the body goes on to it, which runs the upload.
  const peer = await peerHolding(svc, o.hostId);
  if (peer) return (await forwardVolumeUpload(svc, peer, caller, o)) as { volume: VolumeUploadResult | null; bytes: number; task: unknown };
  return uploadVolumeHere(svc, caller, o);
}

/** The upload to a host whose agent is connected to this server (a peer's forward lands here too). */
export async function uploadVolumeHere(
  svc: Services,
  caller: Caller,
  o: VolumeUploadInput,
): Promise<{ volume: VolumeUploadResult | null; bytes: number; task: unknown }> {
  const max = Math.min(svc.config.maxUploadBytes, MAX_VOLUME_UPLOAD_BYTES);
  let agentRefusal: { code: string; message: string } | null = null;
  const r = await streamUpload<{ volume: VolumeUploadResult }>(svc, {
    req: o.req,
    max,
    tooLarge: new ApiError("payload_too_large", `Uploads are limited to ${max} bytes`, { size: `at most ${max} bytes` }),
    exactLength: true,
    headBytes: FORMAT_PROBE_BYTES,
    async before(declared) {
      // Refused as sent: a name is a file in the pool's directory, never rewritten.
      const why = volumeNameProblem(o.name);
      if (why) throw new ApiError("bad_request", `Invalid volume name: ${why}`, { name: why });
      await getHost(svc, o.hostId);
      if (!svc.hub.isOnline(o.hostId)) throw new ApiError("unavailable", "The host is offline: its agent is not connected");
      // Checked again by the agent just before it writes; asked here so that a body that
      // cannot go anywhere is refused before it is read.
      const { pools } = await svc.hub.call(o.hostId, "pool.list", {}, 15_000);
      const pool = pools.find((p) => p.name === o.pool);
      if (!pool) throw new ApiError("not_found", `No storage pool ${o.pool} on this host`, { pool: "no such pool on this host" });
      if (pool.state !== "running") throw new ApiError("conflict", `Storage pool ${o.pool} is ${pool.state}: start it first`, { pool: "not active" });
      if (pool.type !== "dir")
        throw new ApiError("invalid", `Uploads go into directory pools; ${o.pool} is of type ${pool.type}`, { pool: "not a directory pool" });
      if (declared > pool.available)
        throw new ApiError("payload_too_large", `${declared} bytes do not fit in pool ${o.pool} (${pool.available} bytes free)`, {
          size: `at most ${pool.available} bytes (the pool's free space)`,
        });
    },
    begin(head, declared) {
      const format = detectFormat(head);
      const timeoutMs = 30 * 60_000 + Math.ceil((declared / MIN_RATE_BYTES_PER_S) * 1000);
      return {
        task: {
          user: caller.user,
          ip: caller.ip,
          hostId: o.hostId,
          kind: "volume.upload",
          targetType: "volume",
          targetId: `${o.pool}/${o.name}`,
          targetName: o.name,
          idempotencyKey: null,
          input: { pool: o.pool, name: o.name, size: declared, format, overwrite: o.overwrite },
          // The request is the upload: it is answered when the volume is there (or not).
          inlineWaitMs: timeoutMs,
          timeoutMs,
          describe: (res) => (res as { volume: VolumeUploadResult }).volume,
        },
        open: (channel, token, timeoutMs) =>
          svc.hub
            .call(
              o.hostId,
              "volume.upload",
              { channel, token, pool: o.pool, name: o.name, size: declared, format, overwrite: o.overwrite },
              timeoutMs,
            )
            .catch((err: unknown) => {
              if (isAgentCallError(err)) agentRefusal = { code: err.code, message: err.message };
              throw err;
            }),
      };
    },
    refusal: (err) => (agentRefusal && refusalOf(agentRefusal, o)) ?? err,
    failed: (task) => {
      const refused = agentRefusal && refusalOf(agentRefusal, o);
      if (refused) return refused;
      // The host failed (libvirt, the file system): not the request's fault.
      if (agentRefusal) return new ApiError("internal", `The host could not write the volume: ${task.error ?? agentRefusal.message}`);
      return new ApiError("invalid", task.error ?? "upload failed", { body: task.error ?? "upload failed" });
    },
  });
  return { volume: r.result?.volume ?? null, bytes: r.bytes, task: r.task };
}
