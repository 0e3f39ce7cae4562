import { route, json } from "@/server/web/http/route";
import { MachineQuery, queryMachines } from "@/server/web/agents/machine-query";

export const GET = route({ permission: "vm.read", query: MachineQuery }, async ({ svc, query }) => json(queryMachines(svc.hub.machines(), query)));
