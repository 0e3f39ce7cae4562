import { route, json } from "@/server/web/http/route";
import { HostParams, hostResource } from "@/server/web/http/params";
import { listPools } from "@/server/web/services/pools";

// Storage pools are read like the machines they hold: whoever may see VMs may see pools.
export const GET = route({ permission: "vm.read", params: HostParams, resource: hostResource }, async ({ svc, params }) =>
  json(await listPools(svc, params.hostId)),
);
