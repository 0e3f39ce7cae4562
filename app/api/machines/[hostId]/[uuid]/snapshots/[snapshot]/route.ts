import { route, json } from "@/server/web/http/route";
import { SnapshotParams, machineResource } from "@/server/web/http/params";
import { idempotencyKey } from "@/server/web/http/idempotency";
import { deleteSnapshot } from "@/server/web/services/snapshots";

// Deletes one snapshot (its children move under its parent), as a task.
export const DELETE = route({ permission: "vm.edit", params: SnapshotParams, resource: machineResource }, async ({ svc, params, user, ip, req }) => {
  const r = await deleteSnapshot(svc, { user, ip }, params, params.snapshot, idempotencyKey(req));
  return json({ task: r.task, replay: r.replay }, { status: r.done ? 200 : 202 });
});
