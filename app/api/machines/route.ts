import { route, json } from "@/server/web/http/route";
import { MachineQuery } from "@/server/web/agents/machine-query";
import { listMachines } from "@/server/web/services/machines";

export const GET = route({ permission: "vm.read", query: MachineQuery }, async ({ svc, query }) => json(listMachines(svc, query)));
