import { route, json } from "@/server/web/http/route";
import { MachineParams, machineResource } from "@/server/web/http/params";
import { ConsoleTicketRequest } from "@/server/protocol";
import { machineConsoleTicket } from "@/server/web/services/machines";

// A one-time ticket (30 s) for one console of one machine, for this session only. The
// browser presents it as a websocket subprotocol on /ws/console.
export const POST = route(
  { permission: "vm.console", session: "required", params: MachineParams, resource: machineResource, body: ConsoleTicketRequest },
  async ({ svc, params, body, user, session, ip }) => json(await machineConsoleTicket(svc, { user, session, ip }, params, body)),
);
