import { z } from "zod";
import { route, json } from "@/server/web/http/route";
import { VmImportRequest } from "@/server/protocol";
import { idempotencyKey } from "@/server/web/http/idempotency";
import { HostParams, RowId, hostResource } from "@/server/web/http/params";
import { importResult, importVm } from "@/server/web/services/vm-import";

// Imports a VMDK/VDI/VHDX/VHD/qcow2/raw volume or an OVA from a pool as a new VM, as one task:
// 200 with the finished task (and what was made), 202 while qemu-img converts.
export const POST = route(
  { permission: "vm.create", params: HostParams, resource: hostResource, body: VmImportRequest },
  async ({ svc, params, body, user, ip, req }) => {
    const r = await importVm(svc, { user, ip }, { hostId: params.hostId, req: body, idempotencyKey: idempotencyKey(req) });
    return json(
      { task: r.task, replay: r.replay, ...("result" in r && r.result !== undefined ? { result: r.result } : {}) },
      { status: r.done ? 200 : 202 },
    );
  },
);

// An import task with what it made (volume, OVF facts, plan): the task event says only that it ended.
export const GET = route(
  { permission: "vm.read", params: HostParams, resource: hostResource, query: z.strictObject({ task: RowId }) },
  async ({ svc, params, query }) => json(await importResult(svc, params.hostId, query.task)),
);
