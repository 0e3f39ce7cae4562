import { route, json } from "@/server/web/http/route";
import { MachineParams, machineResource } from "@/server/web/http/params";
import { setTags, TagsBody } from "@/server/web/services/tags";

// Replaces the VM's tags (a grant on a tag covers it from the next request on).
export const PUT = route(
  { permission: "vm.edit", params: MachineParams, resource: machineResource, body: TagsBody },
  async ({ svc, user, ip, params, body }) =>
    json(await setTags(svc, { user, ip }, { type: "vm", hostId: params.hostId, id: params.uuid }, body.tags)),
);
