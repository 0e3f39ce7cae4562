import { route, json } from "@/server/web/http/route";
import { ApiError } from "@/server/web/http/errors";
import { MachineParams, machineResource } from "@/server/web/agents/machine-params";
import { CONSOLE_SUBPROTOCOL, ConsoleTicketRequest, TICKET_PROTOCOL_PREFIX } from "@/server/protocol";
import { audit } from "@/server/web/audit";

// A one-time ticket (30 s) for one console of one machine, for this session only. The
// browser presents it as a websocket subprotocol on /ws/console.
export const POST = route({ permission: "vm.console", params: MachineParams, resource: machineResource, body: ConsoleTicketRequest }, async ({ svc, params, body, user, session, ip }) => {
  const m = svc.hub.machine(params.hostId, params.uuid);
  if (!m) throw new ApiError("not_found", `No machine ${params.uuid} on this host`, { uuid: "unknown machine" });
  if (m.stale) throw new ApiError("unavailable", "The host is offline");
  if (!["running", "paused"].includes(m.state)) throw new ApiError("conflict", `${m.name} is ${m.state}: start it to use the console`);
  if (body.kind === "vnc" && !m.graphics.some((g) => g.type === "vnc")) throw new ApiError("conflict", `${m.name} has no VNC graphics device`, { kind: "no VNC device" });
  if (body.kind === "serial" && !m.serials.length) throw new ApiError("conflict", `${m.name} has no serial console`, { kind: "no serial device" });
  const ticket = svc.consoleTickets.issue({ userId: user.id, sessionId: session.id, hostId: params.hostId, uuid: params.uuid, kind: body.kind, takeover: body.takeover ?? false });
  await audit(svc.db, { actor: user.username, userId: user.id, action: `console.${body.kind}`, target: `${m.name} (${m.uuid})`, outcome: "success", ip, details: { takeover: body.takeover ?? false } });
  return json({ ticket, path: "/ws/console", protocols: [CONSOLE_SUBPROTOCOL, `${TICKET_PROTOCOL_PREFIX}${ticket}`], viewers: svc.consoles.viewersOf(params.hostId, params.uuid) });
});
