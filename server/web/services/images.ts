// Image verbs of one host's engine: one per route. A pull is a task (it may take minutes);
// an upload streams to the engine (../containers/image-upload.ts) and is a task there.
import type { Services } from "../services";
import { audit } from "../audit";
import { ApiError } from "../http/errors";
import { streamImageUpload } from "../containers/image-upload";
import type { Caller } from "./caller";

export function listImages(svc: Services, hostId: string) {
  return svc.hub.call(hostId, "image.list", {}, 15_000);
}

/** Without a reachable registry the engine's reason comes back (inline when it fails fast, else on the task). */
export function pullImage(svc: Services, caller: Caller, o: { hostId: string; ref: string; idempotencyKey: string | null }) {
  return svc.tasks.run({
    user: caller.user,
    ip: caller.ip,
    hostId: o.hostId,
    kind: "image.pull",
    targetType: "image",
    targetId: o.ref,
    targetName: o.ref,
    idempotencyKey: o.idempotencyKey,
    input: { ref: o.ref },
    timeoutMs: 600_000,
    call: (timeoutMs) => svc.hub.call(o.hostId, "image.pull", { ref: o.ref }, timeoutMs),
    inlineWaitMs: 10_000,
  });
}

/**
 * The request's body (an image tar) streamed to the host's engine, never held in memory:
 * "load" takes `docker save`/`podman save` archives, "import" a root file system tar that
 * becomes image `name`.
 */
export function uploadImage(svc: Services, caller: Caller, o: { hostId: string; req: Request; mode: "load" | "import"; name?: string }) {
  if (!svc.hub.isOnline(o.hostId)) throw new ApiError("unavailable", "The host is offline: its agent is not connected");
  return streamImageUpload(svc, { hostId: o.hostId, req: o.req, mode: o.mode, name: o.name, user: caller.user, ip: caller.ip });
}

/** The engine refuses (409) while a container uses the image unless `force`. */
export async function removeImage(svc: Services, caller: Caller, o: { hostId: string; imageId: string; force: boolean }): Promise<void> {
  await svc.hub.call(o.hostId, "image.remove", { id: o.imageId, force: o.force }, 60_000);
  await audit(svc.db, {
    actor: caller.user.username,
    userId: caller.user.id,
    action: "image.remove",
    target: o.imageId,
    outcome: "success",
    ip: caller.ip,
  });
}
