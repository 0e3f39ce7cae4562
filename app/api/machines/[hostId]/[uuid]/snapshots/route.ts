import { z } from "zod";
import { route, json } from "@/server/web/http/route";
import { MachineParams, machineResource } from "@/server/web/http/params";
import { SnapshotName } from "@/server/protocol";
import { idempotencyKey } from "@/server/web/http/idempotency";
import { createSnapshot, listSnapshots } from "@/server/web/services/snapshots";

export const GET = route({ permission: "vm.read", params: MachineParams, resource: machineResource }, async ({ svc, params }) =>
  json(await listSnapshots(svc, params)),
);

// memory: also the running guest's memory (a checkpoint to resume from); refused for a stopped machine.
const Body = z.strictObject({ name: SnapshotName, description: z.string().max(4096).default(""), memory: z.boolean() });

export const POST = route(
  { permission: "vm.edit", params: MachineParams, resource: machineResource, body: Body },
  async ({ svc, params, body, user, ip, req }) => {
    const r = await createSnapshot(svc, { user, ip }, params, { ...body, idempotencyKey: idempotencyKey(req) });
    return json({ task: r.task, replay: r.replay, result: r.result ?? null }, { status: r.done ? 200 : 202 });
  },
);
