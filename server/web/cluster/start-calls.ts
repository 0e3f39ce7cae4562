// Wires the one hop between servers (decision 0005) into a server: the internal routes it
// answers (always mounted, so /internal/ never reaches Next; refused without the secret)
// and, when it has peers and a cluster secret, the inventory mirror its hub reads and
// calls through. Without HANGAR_CLUSTER_SECRET a server only knows its own agents, as before.
import type { AgentHub } from "../agents/hub";
import type { Config } from "../config";
import type { Db } from "../db/client";
import type { EventBus } from "../events/bus";
import type { MetricsService } from "../metrics/metrics-service";
import type { TaskService } from "../tasks/task-service";
import { ClusterBus } from "./cluster-bus";
import type { EventRelay } from "./event-relay";
import { InternalRoutes } from "./internal-routes";
import { InventoryMirror } from "./inventory-mirror";
import { PeerCalls } from "./peer-calls";
import type { ServerRegistry } from "./server-registry";

export interface ClusterCalls {
  routes: InternalRoutes;
  mirror: InventoryMirror | null;
  stop: () => void;
}

export async function startCalls(o: {
  config: Config;
  db: Db;
  bus: EventBus;
  hub: AgentHub;
  events: EventRelay | null;
  peers: ServerRegistry | null;
  metrics: MetricsService;
  tasks: TaskService;
}): Promise<ClusterCalls> {
  const { config, hub } = o;
  const routes = new InternalRoutes(config.clusterSecret, o.peers?.serverId ?? "", hub, o.tasks);
  if (!o.peers || !o.events || !config.clusterSecret || !(o.bus instanceof ClusterBus)) return { routes, mirror: null, stop: () => undefined };
  const calls = new PeerCalls(config.clusterSecret);
  const mirror = new InventoryMirror({
    db: o.db,
    bus: o.bus,
    registry: o.peers,
    calls,
    isLocal: (hostId) => hub.isLocal(hostId),
    // Live samples only: the holder records the history of its hosts.
    onSamples: (hostId, samples) => o.metrics.ingest(hostId, false, samples),
  });
  hub.useRemote(mirror);
  // A cancel asked of this server for a task another live server runs goes to that server.
  o.tasks.forwardCancels(async (serverId, taskId, by) => {
    const s = await o.db.server.findUnique({ where: { id: serverId }, select: { url: true } });
    return !!s && (await calls.cancelTask(s.url, taskId, by).catch(() => false));
  });
  o.events.onResync(() => mirror.resync());
  o.peers.onDead((ids) => mirror.serversDead(ids));
  await mirror.start();
  return { routes, mirror, stop: () => mirror.stop() };
}
