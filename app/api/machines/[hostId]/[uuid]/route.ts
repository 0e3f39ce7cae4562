import { route, json } from "@/server/web/http/route";
import { MachineParams, machineResource } from "@/server/web/http/params";
import { getMachine } from "@/server/web/services/machines";

export const GET = route({ permission: "vm.read", params: MachineParams, resource: machineResource }, async ({ svc, params }) =>
  json(await getMachine(svc, params)),
);
