// The one path by which a request body (an image tar, an ISO or disk image) reaches a
// host's agent: streamed over a data channel the agent dials, as a task, never held in
// memory. What it does for every kind of upload: the size limit (declared and actual),
// backpressure (the socket's, so the browser is slowed down, not buffered), the check of
// the first bytes before anything reaches the host, progress events, and the drain of a
// refused body so that the connection stays usable (see ../http/body.ts).
import type { Socket } from "node:net";
import type { TaskRow } from "../../protocol";
import { ApiError, isApiError } from "../http/errors";
import { agentError } from "../http/agent-errors";
import { closing, discard } from "../http/body";
import type { Services } from "../services";
import type { TaskSpec } from "../tasks/task-service";

/** A refused upload is still read (and dropped) this far, so that the connection stays usable. */
const DRAIN_BYTES = 1024 * 1024;
/** Progress events at most this often: a bar needs no more, and each event goes to every browser. */
const PROGRESS_EVERY_MS = 250;

/** What an upload becomes once its first bytes are checked: the task and the agent call that opens the data channel. */
export interface UploadTask<R> {
  task: Omit<TaskSpec, "call">;
  open(channel: string, token: string, timeoutMs: number): Promise<R>;
}

export interface StreamUploadSpec<R> {
  req: Request;
  /** Most bytes accepted; a larger Content-Length is refused unread, a longer body when it passes the limit. */
  max: number;
  tooLarge: ApiError;
  /** The Content-Length is required and must be met exactly (the target is sized to it). */
  exactLength?: boolean;
  /** Checks that need no body (names, the target's state); a refusal drains the body like any other. */
  before?: (declared: number) => Promise<void>;
  /** How many leading bytes `begin` sees (fewer when the body is shorter). */
  headBytes: number;
  /** Checks the head (throwing an ApiError refuses) and says what task to run. */
  begin(head: Buffer, declared: number): UploadTask<R> | Promise<UploadTask<R>>;
  /** The HTTP error for a task that failed (default: 422 with the task's error). */
  failed?: (task: TaskRow) => ApiError;
  /** Turns a refusal (often the agent's) into the error naming the field at fault; default: the agent's code as is. */
  refusal?: (err: unknown) => unknown;
}

export interface StreamUploadResult<R> {
  bytes: number;
  task: TaskRow;
  result: R | undefined;
}

/**
 * Bytes let queue on the agent's socket before the next read of the body waits. Waiting at
 * Node's default (16 KiB, less than one chunk of the body) made every chunk a round trip
 * through both event loops: 68 MB/s on loopback where cp does 890 (bench/volume-upload.ts).
 */
const IN_FLIGHT_BYTES = 2 * 1024 * 1024;

function write(sock: Socket, chunk: Uint8Array): Promise<void> {
  sock.write(chunk);
  if (sock.writableLength < IN_FLIGHT_BYTES) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onDrain = () => (sock.off("close", onClose), resolve());
    const onClose = () => (sock.off("drain", onDrain), reject(new ApiError("unavailable", "the host closed the upload")));
    sock.once("drain", onDrain);
    sock.once("close", onClose);
  });
}

const defaultFailed = (t: TaskRow) => {
  const reason = t.error ?? "upload failed";
  return new ApiError("invalid", reason, { body: reason });
};

export async function streamUpload<R>(svc: Services, o: StreamUploadSpec<R>): Promise<StreamUploadResult<R>> {
  const length = o.req.headers.get("content-length");
  const declared = Number(length ?? "0");
  // Not read on (it may be gigabytes): the client must not reuse the connection.
  if (declared > o.max) throw closing(o.tooLarge);
  if (o.exactLength && (length === null || !Number.isSafeInteger(declared) || declared <= 0))
    throw closing(
      new ApiError("bad_request", "Send the file as the body with its Content-Length", {
        size: "Content-Length required (a file of 1 byte or more)",
      }),
    );
  const reader = o.req.body?.getReader();
  if (!reader) throw new ApiError("bad_request", "The upload's body is missing", { body: "required" });
  let ended = false;
  // Whatever refuses the upload once it is partly read, the rest is dropped first (up to
  // DRAIN_BYTES; past that the answer says Connection: close), never cancelled: that
  // destroys the connection before the answer is written (see ../http/body.ts).
  const unread = async (err: unknown): Promise<unknown> => {
    const e = agentError(o.refusal ? o.refusal(err) : err);
    if (ended || (await discard(reader, DRAIN_BYTES).catch(() => false))) return e;
    return isApiError(e) ? closing(e) : e;
  };
  let first: Buffer;
  let job: UploadTask<R>;
  try {
    await o.before?.(declared);
    const head: Uint8Array[] = [];
    let headBytes = 0;
    while (headBytes < o.headBytes) {
      const { done, value } = await reader.read();
      if (done) {
        ended = true;
        break;
      }
      head.push(value);
      headBytes += value.byteLength;
    }
    first = Buffer.concat(head);
    job = await o.begin(first, declared);
  } catch (err) {
    throw await unread(err);
  }
  let bytes = 0;
  let refused: ApiError | null = null;
  let r: Awaited<ReturnType<Services["tasks"]["run"]>>;
  try {
    r = await svc.tasks.run({
      ...job.task,
      call: async (timeoutMs, taskId) => {
        const { socket, result } = await svc.consoles.dataChannel(job.task.hostId, (channel, token) => job.open(channel, token, timeoutMs));
        let last = 0;
        const progress = (force: boolean) => {
          const now = Date.now();
          if (!force && now - last < PROGRESS_EVERY_MS) return;
          last = now;
          if (taskId) svc.tasks.progress(taskId, bytes, declared || null);
        };
        try {
          if (first.length > o.max) throw (refused = o.tooLarge);
          await write(socket, first);
          bytes = first.length;
          progress(true);
          while (!ended) {
            const { done, value } = await reader.read();
            if (done) {
              ended = true;
              break;
            }
            bytes += value.byteLength;
            if (bytes > o.max) throw (refused = o.tooLarge);
            await write(socket, value);
            progress(false);
          }
          progress(true);
          if (o.exactLength && bytes !== declared)
            throw (refused = new ApiError("bad_request", `The upload ended after ${bytes} of ${declared} bytes`, {
              size: "body shorter than Content-Length",
            }));
          socket.end();
        } catch (err) {
          // The agent sees the connection end short of the size and throws its work away.
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
  if (r.task.status === "failed") throw await unread((o.failed ?? defaultFailed)(r.task));
  return { bytes, task: r.task, result: r.result as R | undefined };
}
