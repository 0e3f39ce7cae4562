import { route, json } from "@/server/web/http/route";
import { MachineQuery } from "@/server/web/agents/machine-query";
import { listMachines } from "@/server/web/services/machines";

export const GET = route({ permission: "vm.read", scope: "filtered", query: MachineQuery }, async ({ svc, user, query }) =>
  json(listMachines(svc, user, query)),
);
