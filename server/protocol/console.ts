import { z } from "zod";

export const ConsoleKind = z.enum(["vnc", "serial"]);
export type ConsoleKind = z.infer<typeof ConsoleKind>;
/** Everything that travels the console path: VM consoles and container exec/log streams. */
export type StreamKind = ConsoleKind | "exec" | "logs";

/** Browsers present their one-time ticket as a websocket subprotocol, never in the URL. */
export const CONSOLE_SUBPROTOCOL = "hangar.console";
export const TICKET_PROTOCOL_PREFIX = "ticket.";
/** The agent's per-console data socket presents the channel token in this header. */
export const CHANNEL_TOKEN_HEADER = "x-hangar-channel-token";
/**
 * The agent's data connection upgrades to a plain byte stream (no websocket framing or
 * masking on the agent's hop). The agent sends nothing before it reads this exact answer.
 */
export const RAW_UPGRADE = "hangar-relay";
export const RAW_UPGRADE_ACCEPT = `HTTP/1.1 101 Switching Protocols\r\nUpgrade: ${RAW_UPGRADE}\r\nConnection: Upgrade\r\n\r\n`;

/** Close codes a console viewer can act on. */
export const CONSOLE_CLOSE = { takenOver: 4001, sessionEnded: 4401, permissionLost: 4403, agentGone: 4502, vmUnavailable: 4409 } as const;

export const ConsoleTicketRequest = z.object({ kind: ConsoleKind, takeover: z.boolean().optional() });

export interface ConsoleViewer {
  id: string;
  user: string;
  kind: StreamKind;
  since: string;
}
