import { route, json } from "@/server/web/http/route";
import { SnapshotParams, machineResource } from "@/server/web/http/params";
import { idempotencyKey } from "@/server/web/http/idempotency";
import { revertSnapshot } from "@/server/web/services/snapshots";

// Returns the machine to the snapshot (disks, definition, and the running guest when it holds memory), as a task.
export const POST = route({ permission: "vm.edit", params: SnapshotParams, resource: machineResource }, async ({ svc, params, user, ip, req }) => {
  const r = await revertSnapshot(svc, { user, ip }, params, params.snapshot, idempotencyKey(req));
  return json({ task: r.task, replay: r.replay, result: r.result ?? null }, { status: r.done ? 200 : 202 });
});
