// The messages between the server process and its console relay process (IPC, same
// machine, same release). Sockets travel as handles next to `adopt` and `agent`.
import type { StreamKind } from "../../protocol/console";

/** Server → relay. */
export type RelayCommand =
  /** A browser's console upgrade, already authenticated: the relay completes the handshake. */
  | {
      type: "adopt";
      channel: string;
      kind: StreamKind;
      req: { method: string; url: string; headers: Record<string, string | string[] | undefined> };
      head: string;
    }
  /** The agent's raw data connection for that channel; `head` holds bytes the server had already read. */
  /**
   * A peer server's hop (decision 0005), not yet answered: its agent connection follows at
   * once as `agent`; both are then answered and spliced (`head`: what the peer sent early).
   */
  | { type: "splice"; channel: string; head: string }
  /** `answered`: the connection is a hop to a peer server, already upgraded (nothing to answer). */
  | { type: "agent"; channel: string; head: string; answered?: boolean }
  | { type: "close"; channel: string; code: number; reason: string }
  | { type: "ping"; channel: string }
  | { type: "terminate"; channel: string };

/** Relay → server. */
export type RelayReport =
  | { type: "ready" }
  | { type: "open"; channel: string }
  | { type: "closed"; channel: string; code: number; reason: string }
  | { type: "pong"; channel: string }
  | { type: "resize"; channel: string; cols: number; rows: number };

/** Largest browser message on a console socket. */
export const CONSOLE_MAX_PAYLOAD = 1024 * 1024;
