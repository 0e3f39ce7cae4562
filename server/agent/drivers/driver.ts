// What the agent needs from the things it manages. Each kind (hypervisor, container engine)
// has one interface here; the libvirt RPC driver and the Docker-API driver implement them.
// The transports can change behind these without touching the dispatcher or the link to
// the server.
import type Docker from "dockerode";
import type {
  AgentEvent,
  ContainerAction,
  ContainerCreateSpec,
  ContainerSummary,
  DomainAction,
  DomainSummary,
  EngineInfo,
  ErrorCode,
  ImageSummary,
} from "../../protocol";
import type { StorageArea } from "./areas/storage-area";
import type { UploadArea } from "./areas/upload-area";
import type { NetworkArea } from "./areas/network-area";
import type { VmCreateArea } from "./areas/vm-create-area";
import type { VmEditArea } from "./areas/vm-edit-area";
import type { ImportArea } from "./areas/import-area";
import type { BackupArea } from "./areas/backup-area";
import type { MigrationArea } from "./areas/migration-area";

export class DriverError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** What every driver shares: a connection kept alive in the background and pushed events. */
export interface AgentDriver {
  /** Names the driver in the agent's log. */
  readonly name: string;
  /** Connects, and keeps reconnecting in the background when the daemon goes away. */
  start(): Promise<void>;
  stop(): Promise<void>;
  readonly connected: boolean;
  /** Pushed changes; after every (re)connect a full inventory comes first. */
  onEvent(listener: (e: AgentEvent) => void): void;
  /**
   * Sends the driver's full state, for a server that (re)registered this agent: its view
   * may be stale after our absence. May send some events and then throw.
   */
  resync(send: (e: AgentEvent) => void): Promise<void>;
}

export interface DomainActionOptions {
  removeStorage?: boolean;
  enabled?: boolean;
}

export interface HypervisorDriver extends AgentDriver {
  listDomains(): Promise<DomainSummary[]>;
  getDomain(uuid: string): Promise<{ domain: DomainSummary; xml: string }>;
  domainAction(uuid: string, action: DomainAction, opts: DomainActionOptions): Promise<DomainSummary | null>;
  // Each area of provisioning is its own object (interfaces in ./areas/), so the driver
  // class stays small and the areas grow without touching each other.
  readonly storage: StorageArea;
  readonly uploads: UploadArea;
  readonly networks: NetworkArea;
  readonly vmCreate: VmCreateArea;
  readonly vmEdit: VmEditArea;
  readonly imports: ImportArea;
  readonly backups: BackupArea;
  readonly migrations: MigrationArea;
  versions(): Promise<{ libvirt: string | null; qemu: string | null }>;
  /**
   * Bulk statistics of running domains in one call: every domain when `uuids` is null,
   * otherwise only those (unknown or stopped ones are left out of the answer).
   */
  domainStats(uuids: readonly string[] | null): Promise<{ uuid: string; stats: Record<string, number | bigint | string | boolean> }[]>;
}

export interface ContainerEngineDriver extends AgentDriver {
  /** The connected engine, or the last one seen. */
  readonly engine: EngineInfo | null;
  /** The engine's API client; throws engine_unavailable while disconnected. Streams (exec, logs, image load) use it directly. */
  need(): Docker;
  /** Ids of running containers, known without asking the engine. */
  runningIds(): string[];
  list(): Promise<ContainerSummary[]>;
  inspect(id: string): Promise<{ container: ContainerSummary; inspect: Record<string, unknown> }>;
  action(id: string, action: ContainerAction, force?: boolean): Promise<ContainerSummary | null>;
  rename(id: string, name: string): Promise<ContainerSummary>;
  create(spec: ContainerCreateSpec): Promise<ContainerSummary>;
  logs(id: string, tail: number, timestamps: boolean): Promise<{ text: string; truncated: boolean }>;
  images(): Promise<ImageSummary[]>;
  removeImage(id: string, force?: boolean): Promise<void>;
  pull(ref: string): Promise<string>;
}
