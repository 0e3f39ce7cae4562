// What the server pushes to browsers on /ws/events, and the REST shapes those events patch.
import { z } from "zod";
import { DomainSummary } from "./domain";
import { HostFacts } from "./host";
import { ContainerSummary, EngineInfo } from "./container";
import type { ConsoleViewer } from "./console";
import type { SeriesSample } from "./metrics";

export const HostStatus = z.enum(["online", "offline", "pending"]);

export const HostRow = z.strictObject({
  id: z.string(),
  name: z.string(),
  status: HostStatus,
  lastSeenAt: z.string().nullable(),
  agentVersion: z.string(),
  facts: HostFacts.nullable(),
  libvirtConnected: z.boolean().nullable(),
  machineCount: z.number().int(),
  /** The host's container engine, when its agent found one. */
  engine: EngineInfo.nullable(),
  containerCount: z.number().int(),
  createdAt: z.string(),
});
export type HostRow = z.infer<typeof HostRow>;

/** Where a machine or container row lives, and how fresh it is. */
const Placement = {
  hostId: z.string(),
  hostName: z.string(),
  /** The host is offline: this is the last known state, observed at `observedAt`. */
  stale: z.boolean(),
  observedAt: z.string(),
  /** Its tags (issue 14): kept by the server, not the agent; scoped rights follow them. */
  tags: z.array(z.string()),
};

export const MachineRow = DomainSummary.extend(Placement);
export type MachineRow = z.infer<typeof MachineRow>;

/**
 * A row of the machines table (GET /api/machines?view=table): what the table shows, sorts
 * and acts on. Devices (graphics, serials, disks, NICs) and the rest are on the detail
 * endpoint; they were most of the list's bytes at 1,000 VMs. A pushed `machine.upsert`
 * carries a full MachineRow, which is a MachineListRow too, so it patches the list as is.
 */
export const MachineListRow = MachineRow.pick({
  uuid: true,
  name: true,
  state: true,
  vcpus: true,
  memoryKiB: true,
  hostId: true,
  hostName: true,
  stale: true,
  observedAt: true,
  tags: true,
});
export type MachineListRow = z.infer<typeof MachineListRow>;

export const ContainerRow = ContainerSummary.extend(Placement);
export type ContainerRow = z.infer<typeof ContainerRow>;

export const TASK_STATUSES = ["queued", "running", "succeeded", "failed", "unknown"] as const;
export const TaskRow = z.strictObject({
  id: z.string(),
  kind: z.string(),
  targetType: z.string(),
  targetId: z.string(),
  targetName: z.string(),
  hostId: z.string().nullable(),
  user: z.string().nullable(),
  status: z.enum(TASK_STATUSES),
  error: z.string().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type TaskRow = z.infer<typeof TaskRow>;

/** Browser → server on /ws/events: a keep-alive, answered with pong. (Metric subscriptions: metrics.ts.) */
export const PingMessage = z.strictObject({ type: z.literal("ping") });

/**
 * Events with a `seq` may also carry `prev`: a user with scoped rights is sent only the
 * events of what they may see, so the seqs they receive have gaps. `prev` (the seq this
 * socket was sent last) says the gap before this event held nothing for them; without it a
 * skipped seq means something was lost and the client refetches.
 */
export interface SeqGap {
  prev?: number;
}

export type BrowserEvent =
  // First message of every socket. `seq` is the last event before the ones that follow;
  // `resumed` says the missed events after the client's resume point follow (else the
  // client refetches what it shows).
  | { type: "hello"; serverTime: number; user: string; epoch: string; seq: number; resumed: boolean }
  | { type: "pong"; serverTime: number }
  // `fields`: what was wrong with the message the browser sent (e.g. { evil: "unknown field" }).
  | { type: "error"; message: string; code?: string; series?: string[]; fields?: Record<string, string> }
  | { type: "metrics"; samples: SeriesSample[] }
  // How far a running task is (e.g. bytes of an upload of `total`), at most every 250 ms;
  // live only: no seq, never replayed.
  | { type: "task.progress"; taskId: string; done: number; total: number | null }
  // New 10 s samples arrived: fleet summaries (the dashboard's ranking) are out of date.
  | { type: "metrics.fleet"; seq: number }
  | { type: "metrics.subscribed"; series: string[] }
  | { type: "metrics.unsubscribed"; series: string[] }
  | { type: "machine.upsert"; seq: number; machine: MachineRow }
  | { type: "machine.remove"; seq: number; hostId: string; uuid: string }
  | { type: "machines.host"; seq: number; hostId: string; stale: boolean; observedAt: string }
  | { type: "container.upsert"; seq: number; container: ContainerRow }
  | { type: "container.remove"; seq: number; hostId: string; id: string }
  // Hosts change rarely (connect, disconnect, facts): the client refetches the host list.
  | { type: "host.changed"; seq: number; hostId: string }
  | { type: "task.upsert"; seq: number; task: TaskRow }
  // A host's storage pool or virtual network changed (in Hangar or behind its back, e.g.
  // virsh): lists are not pushed as rows (read when shown), so the client re-reads them.
  | { type: "pools.changed"; seq: number; hostId: string; pool: string; cause: string }
  | { type: "networks.changed"; seq: number; hostId: string; network: string; cause: string }

  // Who is watching a machine's consoles (presence; "take over" closes the others).
  | { type: "console.viewers"; seq: number; hostId: string; uuid: string; viewers: ConsoleViewer[] };
