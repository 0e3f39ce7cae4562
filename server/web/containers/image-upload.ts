// Streams an uploaded image archive from the browser's request to the host's agent over a
// data channel, with backpressure and a size limit, as a task. The first 512 bytes are
// checked for a tar header before anything reaches the engine.
import type { Socket } from "node:net";
import { MAX_IMAGE_UPLOAD_BYTES, type TaskRow } from "../../protocol";
import type { User } from "../db/client";
import { ApiError, isApiError } from "../http/errors";
import { agentError } from "../http/agent-errors";
import { closing, discard } from "../http/body";
import type { Services } from "../services";

const TAR_MAGIC_OFFSET = 257;
/** A refused upload is still read (and dropped) this far, so that the connection stays usable. */
const DRAIN_BYTES = 1024 * 1024;

export function isTarHeader(block: Uint8Array): boolean {
  if (block.length < 512) return false;
  const magic = Buffer.from(block.subarray(TAR_MAGIC_OFFSET, TAR_MAGIC_OFFSET + 5)).toString("latin1");
  return magic === "ustar";
}

function write(sock: Socket, chunk: Uint8Array): Promise<void> {
  if (sock.write(chunk)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onDrain = () => (sock.off("close", onClose), resolve());
    const onClose = () => (sock.off("drain", onDrain), reject(new ApiError("unavailable", "the host closed the upload")));
    sock.once("drain", onDrain);
    sock.once("close", onClose);
  });
}

export async function streamImageUpload(
  svc: Services,
  o: { hostId: string; req: Request; mode: "load" | "import"; name?: string; user: User; ip: string },
  max = Math.min(svc.config.maxImageBytes, MAX_IMAGE_UPLOAD_BYTES),
): Promise<{ images: string[]; bytes: number; task: TaskRow }> {
  const declared = Number(o.req.headers.get("content-length") ?? "0");
  const tooLarge = new ApiError("payload_too_large", `Image archives are limited to ${max} bytes`, { body: `at most ${max} bytes` });
  // Not read on (it may be gigabytes): the client must not reuse the connection.
  if (declared > max) throw closing(tooLarge);
  const reader = o.req.body?.getReader();
  if (!reader) throw new ApiError("bad_request", "The archive is missing", { body: "required" });
  let ended = false;
  // Whatever refuses the upload once it is partly read, the rest is dropped first (up to
  // DRAIN_BYTES; past that the answer says Connection: close), never cancelled: that
  // destroys the connection before the answer is written (see ../http/body.ts).
  const unread = async (err: unknown): Promise<unknown> => {
    if (ended || (await discard(reader, DRAIN_BYTES))) return err;
    const e = agentError(err);
    return isApiError(e) ? closing(e) : err;
  };
  // Read until the first tar header block is complete, and check it.
  const head: Uint8Array[] = [];
  let headBytes = 0;
  while (headBytes < 512) {
    const { done, value } = await reader.read();
    if (done) {
      ended = true;
      break;
    }
    head.push(value);
    headBytes += value.byteLength;
  }
  const first = Buffer.concat(head);
  if (!isTarHeader(first))
    throw await unread(new ApiError("invalid", "The upload is not a tar archive", { body: "not a tar archive (no ustar header)" }));
  let bytes = 0;
  let refused: ApiError | null = null;
  let r: Awaited<ReturnType<Services["tasks"]["run"]>>;
  try {
    r = await svc.tasks.run({
      user: o.user,
      ip: o.ip,
      hostId: o.hostId,
      kind: `image.${o.mode}`,
      targetType: "image",
      targetId: o.name ?? `upload-${Date.now()}`,
      targetName: o.name ?? "uploaded archive",
      idempotencyKey: null,
      input: { mode: o.mode, name: o.name, declaredBytes: declared || null },
      inlineWaitMs: 30 * 60_000,
      describe: (res) => res,
      timeoutMs: 30 * 60_000,
      call: async (timeoutMs) => {
        const { socket, result } = await svc.consoles.dataChannel(o.hostId, (channel, token) =>
          svc.hub.call(o.hostId, "image.load", { channel, token, mode: o.mode, name: o.name }, timeoutMs),
        );
        try {
          await write(socket, first);
          bytes = first.length;
          for (;;) {
            const { done, value } = await reader.read();
            if (done) {
              ended = true;
              break;
            }
            bytes += value.byteLength;
            if (bytes > max) throw (refused = tooLarge);
            await write(socket, value);
          }
          socket.end();
        } catch (err) {
          socket.destroy();
          await result.catch(() => undefined);
          throw err;
        }
        return result;
      },
    });
  } catch (err) {
    throw await unread(err);
  }
  if (refused) throw await unread(refused);
  if (r.task.status === "failed") {
    const reason = r.task.error ?? "import failed";
    throw await unread(new ApiError("invalid", reason, { body: reason }));
  }
  return { images: (r.result as { images?: string[] } | undefined)?.images ?? [], bytes, task: r.task };
}
