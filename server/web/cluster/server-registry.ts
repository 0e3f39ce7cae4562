// Which servers share the database and which of them are alive (decision 0005): each
// writes its row at start and a heartbeat every 2 s; one silent for 10 s is dead. Tasks
// record the server that runs them, so a server starting next to live ones settles only
// the tasks of dead ones, and the survivors settle a dead server's tasks within seconds.
// AgentPresence says which server holds each connected agent.
import type { Db } from "../db/client";

export const HEARTBEAT_MS = 2_000;
export const DEAD_AFTER_MS = 10_000;
/** Rows of servers dead this long are deleted: nothing refers to them any more. */
const FORGET_MS = 24 * 3600_000;

export class ServerRegistry {
  private timer: NodeJS.Timeout | null = null;
  private readonly deadListeners = new Set<(ids: string[], hostIds: string[]) => void>();
  private reported = new Set<string>();
  /** Presence writes in the order the hub saw the agents come and go. */
  private presence: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Db,
    readonly serverId: string,
    private readonly url: string,
    private readonly now: () => number = Date.now,
  ) {}

  async start(): Promise<void> {
    const at = new Date(this.now());
    await this.db.server.create({ data: { id: this.serverId, url: this.url, startedAt: at, heartbeatAt: at } });
    await this.db.server.deleteMany({ where: { heartbeatAt: { lt: new Date(this.now() - FORGET_MS) } } });
    this.timer = setInterval(() => void this.beat().catch((err: unknown) => console.error("[cluster] heartbeat failed:", err)), HEARTBEAT_MS);
    this.timer.unref();
  }

  /** Called with the ids of servers found dead (each once) and the hosts whose agents they held. */
  onDead(l: (ids: string[], hostIds: string[]) => void): void {
    this.deadListeners.add(l);
  }

  /** The servers that beat within DEAD_AFTER_MS, this one included. */
  async live(): Promise<string[]> {
    const rows = await this.db.server.findMany({ where: { heartbeatAt: { gt: new Date(this.now() - DEAD_AFTER_MS) } }, select: { id: true } });
    return [...new Set([this.serverId, ...rows.map((r) => r.id)])];
  }

  /** This server holds the host's agent now (it said hello here). */
  hold(hostId: string): Promise<void> {
    const data = { serverId: this.serverId, connectedAt: new Date(this.now()) };
    return this.inOrder(() => this.db.agentPresence.upsert({ where: { hostId }, create: { hostId, ...data }, update: data }));
  }

  /** The agent left this server; a row another server wrote since (it reconnected there) stays. */
  release(hostId: string): Promise<void> {
    return this.inOrder(() => this.db.agentPresence.deleteMany({ where: { hostId, serverId: this.serverId } }));
  }

  private inOrder(write: () => Promise<unknown>): Promise<void> {
    const next = this.presence.then(write).then(() => undefined);
    this.presence = next.catch(() => undefined);
    return next;
  }

  /** The live server that holds the host's agent, or null. */
  async holder(hostId: string): Promise<{ serverId: string; url: string } | null> {
    const p = await this.db.agentPresence.findUnique({ where: { hostId } });
    if (!p) return null;
    const s = await this.db.server.findUnique({ where: { id: p.serverId } });
    return s && s.heartbeatAt.getTime() > this.now() - DEAD_AFTER_MS ? { serverId: s.id, url: s.url } : null;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    // Gone at once for the others, rather than after DEAD_AFTER_MS.
    await this.db.server.updateMany({ where: { id: this.serverId }, data: { heartbeatAt: new Date(0) } });
    await this.db.agentPresence.deleteMany({ where: { serverId: this.serverId } });
  }

  private async beat(): Promise<void> {
    await this.db.server.update({ where: { id: this.serverId }, data: { heartbeatAt: new Date(this.now()) } });
    const dead = await this.db.server.findMany({
      where: { heartbeatAt: { lte: new Date(this.now() - DEAD_AFTER_MS) }, startedAt: { gt: new Date(this.now() - FORGET_MS) } },
      select: { id: true },
    });
    const fresh = dead.map((d) => d.id).filter((id) => !this.reported.has(id));
    if (!fresh.length) return;
    for (const id of fresh) this.reported.add(id);
    const held = await this.db.agentPresence.findMany({ where: { serverId: { in: fresh } }, select: { hostId: true } });
    await this.db.agentPresence.deleteMany({ where: { serverId: { in: fresh } } });
    for (const l of this.deadListeners)
      l(
        fresh,
        held.map((h) => h.hostId),
      );
  }
}
