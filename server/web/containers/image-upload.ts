// Streams an uploaded image archive from the browser's request to the host's agent over a
// data channel, as a task (the shared path: ../uploads/stream-upload.ts). The first 512
// bytes are checked for a tar header before anything reaches the engine.
import { MAX_IMAGE_UPLOAD_BYTES, type TaskRow } from "../../protocol";
import type { User } from "../db/client";
import { ApiError } from "../http/errors";
import type { Services } from "../services";
import { streamUpload } from "../uploads/stream-upload";

const TAR_MAGIC_OFFSET = 257;

export function isTarHeader(block: Uint8Array): boolean {
  if (block.length < 512) return false;
  const magic = Buffer.from(block.subarray(TAR_MAGIC_OFFSET, TAR_MAGIC_OFFSET + 5)).toString("latin1");
  return magic === "ustar";
}

export async function streamImageUpload(
  svc: Services,
  o: { hostId: string; req: Request; mode: "load" | "import"; name?: string; user: User; ip: string },
  max = Math.min(svc.config.maxImageBytes, MAX_IMAGE_UPLOAD_BYTES),
): Promise<{ images: string[]; bytes: number; task: TaskRow }> {
  const r = await streamUpload<{ images?: string[] }>(svc, {
    req: o.req,
    max,
    tooLarge: new ApiError("payload_too_large", `Image archives are limited to ${max} bytes`, { body: `at most ${max} bytes` }),
    headBytes: 512,
    begin(head, declared) {
      if (!isTarHeader(head)) throw new ApiError("invalid", "The upload is not a tar archive", { body: "not a tar archive (no ustar header)" });
      return {
        task: {
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
        },
        open: (channel, token, timeoutMs) => svc.hub.call(o.hostId, "image.load", { channel, token, mode: o.mode, name: o.name }, timeoutMs),
      };
    },
  });
  return { images: r.result?.images ?? [], bytes: r.bytes, task: r.task };
}
