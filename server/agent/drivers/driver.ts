// What the agent needs from a hypervisor. The libvirt RPC driver implements it; the
// transport can change behind it without touching the agent's link to the server.
import type { AgentEvent, DomainAction, DomainSummary, ErrorCode } from "../../protocol";

export class DriverError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface DomainActionOptions {
  removeStorage?: boolean;
  enabled?: boolean;
}

export interface HypervisorDriver {
  /** Connects, and keeps reconnecting in the background when the daemon goes away. */
  start(): Promise<void>;
  stop(): Promise<void>;
  readonly connected: boolean;
  listDomains(): Promise<DomainSummary[]>;
  getDomain(uuid: string): Promise<{ domain: DomainSummary; xml: string }>;
  domainAction(uuid: string, action: DomainAction, opts: DomainActionOptions): Promise<DomainSummary | null>;
  versions(): Promise<{ libvirt: string | null; qemu: string | null }>;
  /**
   * Bulk statistics of running domains in one call: every domain when `uuids` is null,
   * otherwise only those (unknown or stopped ones are left out of the answer).
   */
  domainStats(uuids: readonly string[] | null): Promise<{ uuid: string; stats: Record<string, number | bigint | string | boolean> }[]>;
  /** Pushed changes; after every (re)connect a full "domain.inventory" comes first. */
  onEvent(listener: (e: AgentEvent) => void): void;
}
