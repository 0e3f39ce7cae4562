// Storage volume verbs: one per route. Changes run as tasks (targetType "volume",
// targetId "<pool>/<name>", so two changes of one volume never overlap); the list goes
// straight to the host's agent, like pools.
import type { CreateFormat } from "../../protocol";
import type { Services } from "../services";
import { refusalField } from "../http/agent-errors";
import type { Caller } from "./caller";
import { getHost } from "./hosts";

// The agent names the input it refuses ("capacity: … exceeds the pool's available …"): the
// HTTP error names it too, with the bare reason as its message.
const VOLUME_FIELDS = new Set(["capacity", "name", "newName"]);
async function namingField<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (err) {
    throw refusalField(err, { accept: (f) => VOLUME_FIELDS.has(f), strip: true });
  }
}

type Target = { hostId: string; pool: string; volume: string; idempotencyKey: string | null };

function volumeTask(
  svc: Services,
  caller: Caller,
  o: Target,
  kind: string,
  input: unknown,
  call: (timeoutMs: number, taskId: string) => Promise<unknown>,
  timeoutMs?: number,
) {
  return namingField(
    svc.tasks.run({
      user: caller.user,
      ip: caller.ip,
      hostId: o.hostId,
      kind,
      targetType: "volume",
      targetId: `${o.pool}/${o.volume}`,
      targetName: o.volume,
      idempotencyKey: o.idempotencyKey,
      input,
      call,
      timeoutMs,
    }),
  );
}

/** The pool's row and volumes with their users; an unknown host is a 404, an inactive pool a 409. */
export async function listVolumes(svc: Services, hostId: string, pool: string) {
  await getHost(svc, hostId);
  return svc.hub.call(hostId, "volume.list", { pool }, 30_000);
}

export async function createVolume(svc: Services, caller: Caller, o: Target & { format: CreateFormat; capacity: number }) {
  await getHost(svc, o.hostId);
  const params = { pool: o.pool, name: o.volume, format: o.format, capacity: o.capacity };
  return volumeTask(svc, caller, o, "volume.create", params, (t) => svc.hub.call(o.hostId, "volume.create", params, t));
}

/** Grow only: a capacity not above the current one is a 422 naming `capacity`. */
export async function resizeVolume(svc: Services, caller: Caller, o: Target & { capacity: number }) {
  await getHost(svc, o.hostId);
  const params = { pool: o.pool, name: o.volume, capacity: o.capacity };
  return volumeTask(svc, caller, o, "volume.resize", params, (t) => svc.hub.call(o.hostId, "volume.resize", params, t));
}

/** A copy in the same pool; it runs as long as the bytes take (up to an hour). */
export async function cloneVolume(svc: Services, caller: Caller, o: Target & { newName: string }) {
  await getHost(svc, o.hostId);
  const params = { pool: o.pool, name: o.volume, newName: o.newName };
  return volumeTask(
    svc,
    caller,
    o,
    "volume.clone",
    params,
    // The agent's bytes-copied reports become the task's live progress.
    (t, taskId) => svc.hub.call(o.hostId, "volume.clone", params, t, { onProgress: (done, total) => svc.tasks.progress(taskId, done, total) }),
    60 * 60_000,
  );
}

/** Refused (409 naming the domains) while a domain uses the volume, unless force. */
export async function deleteVolume(svc: Services, caller: Caller, o: Target & { force: boolean }) {
  await getHost(svc, o.hostId);
  const params = { pool: o.pool, name: o.volume, force: o.force };
  return volumeTask(svc, caller, o, "volume.delete", params, (t) => svc.hub.call(o.hostId, "volume.delete", params, t));
}
