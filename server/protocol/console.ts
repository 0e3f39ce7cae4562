import { z } from "zod";
import { describeFields, issueFields } from "./issues";

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

/**
 * Close codes a console viewer can act on. invalidMessage: a control message the server
 * refused (the reason names the field); a console has no other channel to answer on.
 */
export const CONSOLE_CLOSE = {
  takenOver: 4001,
  sessionEnded: 4401,
  permissionLost: 4403,
  agentGone: 4502,
  vmUnavailable: 4409,
  invalidMessage: 4422,
} as const;

/** Terminal sessions (exec) send their size as a text frame; the only control message there is. */
export const ResizeMessage = z.strictObject({ type: z.literal("resize"), cols: z.number().int(), rows: z.number().int() });

/** A resize message, strictly; or why not, short enough for a close reason (123 bytes). */
export function parseResize(json: unknown): { cols: number; rows: number } | { refused: string } {
  const m = ResizeMessage.safeParse(json);
  if (m.success) return { cols: m.data.cols, rows: m.data.rows };
  // Field names are the client's: kept ASCII so that the byte count is the length.
  return {
    refused: describeFields(issueFields(m.error, "message"))
      .replace(/[^\x20-\x7e]/g, "?")
      .slice(0, 120),
  };
}

export const ConsoleTicketRequest = z.strictObject({ kind: ConsoleKind, takeover: z.boolean().optional() });

export interface ConsoleViewer {
  id: string;
  user: string;
  kind: StreamKind;
  since: string;
}
