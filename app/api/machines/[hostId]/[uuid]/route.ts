import { route, json } from "@/server/web/http/route";
import { ApiError } from "@/server/web/http/errors";
import { MachineParams, machineResource } from "@/server/web/agents/machine-params";
import { isAgentCallError } from "@/server/web/agents/agent-connection";

export const GET = route({ permission: "vm.read", params: MachineParams, resource: machineResource }, async ({ svc, params }) => {
  const machine = svc.hub.machine(params.hostId, params.uuid);
  if (!machine) throw new ApiError("not_found", `No machine ${params.uuid} on host ${params.hostId}`, { uuid: "unknown machine" });
  let xml: string | null = null;
  if (!machine.stale) {
    try {
      xml = (await svc.hub.call(params.hostId, "domain.get", { uuid: params.uuid }, 10_000)).xml;
    } catch (err) {
      if (!isAgentCallError(err)) throw err;
    }
  }
  return json({ machine, xml });
});
