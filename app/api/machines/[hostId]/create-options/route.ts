import { route, json } from "@/server/web/http/route";
import { HostParams, hostResource } from "@/server/web/http/params";
import { vmCreateOptions } from "@/server/web/services/vm-create";

// What the create-VM wizard may offer on this host (limits, pools, ISOs, networks, kernels):
// only for those who may create VMs, since it lists host paths.
export const GET = route({ permission: "vm.create", params: HostParams, resource: hostResource }, async ({ svc, params }) =>
  json(await vmCreateOptions(svc, params.hostId)),
);
