// Alerting as the server runs it: the engine fed from the bus (and, via main.ts, the agent
// hub), its transitions written to the database in order, published to browsers, and
// handed to the delivery queue unless a silence matches. The writes run on a chain of
// their own, so evaluation never waits for the database or a channel.
import type { Db } from "../db/client";
import type { EventBus } from "../events/bus";
import type { Resource } from "../../protocol/access";
import type { AlertNotification, AlertRow, ChannelKind } from "../../protocol/alerts";
import { AlertEngine, type TransitionEvent } from "./engine";
import { compileRule, type CompiledRule, type Instance, type Subject } from "./rules";
import { DeliveryQueue, DEFAULT_DELIVERY, type DeliveryOptions } from "./delivery";
import type { ChannelTarget } from "./channels";
import { taskAudience, type Audience } from "../events/audience";
import { tagKey } from "../auth/access";

interface SilenceEntry {
  ruleId: string | null;
  subjectKey: string | null;
  endsAt: number;
}

export interface AlertingOptions {
  delivery?: DeliveryOptions;
  now?: () => number;
}

export class Alerting {
  readonly engine: AlertEngine;
  readonly delivery: DeliveryQueue;
  private silences: SilenceEntry[] = [];
  private writes: Promise<void> = Promise.resolve();
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly db: Db,
    private readonly bus: EventBus,
    access: { tagsOf: (r: Resource) => readonly string[] },
    private readonly baseUrl: string,
    opts: AlertingOptions = {},
  ) {
    this.engine = new AlertEngine({ sink: (e) => this.sink(e), tagsOf: (r) => access.tagsOf(r), now: opts.now });
    this.delivery = new DeliveryQueue(db, opts.delivery ?? DEFAULT_DELIVERY);
  }

  async start(): Promise<void> {
    await Promise.all([this.reloadChannels(), this.reloadSilences()]);
    const rules = await this.reloadRules();
    const byId = new Map(rules.map((r) => [r.id, r]));
    const open = await this.db.alert.findMany({ where: { state: { in: ["pending", "firing"] } } });
    this.engine.restore(
      open.flatMap((a): Instance[] => {
        const rule = byId.get(a.ruleId);
        if (!rule) return [];
        const subject = subjectOf(a);
        const base = { id: a.id, rule, subject, since: a.since.getTime(), value: a.value, message: a.message };
        return [{ ...base, state: a.state === "firing" ? "firing" : "pending", firingAt: a.firingAt?.getTime() ?? null, cond: "on" }];
      }),
    );
    for (const h of await this.db.host.findMany({ select: { id: true, name: true, lastSeenAt: true } }))
      if (h.lastSeenAt) this.engine.setHost(h.id, h.name, h.lastSeenAt.getTime());
    this.unsubscribe = this.bus.subscribe((p) => this.engine.onEvent(p.event));
    this.engine.start();
    const resumed = await this.delivery.resume();
    if (resumed) console.log(`[alerts] ${resumed} notification(s) left by the last run are queued again`);
  }

  stop(): void {
    this.unsubscribe?.();
    this.engine.stop();
    this.delivery.stop();
  }

  /** Resolves when every transition so far is written and its deliveries are queued. */
  flush(): Promise<void> {
    return this.writes;
  }

  /** A host's agent connected: learn its name if it is new. */
  async hostOnline(hostId: string): Promise<void> {
    this.engine.hostSeen(hostId);
    const h = await this.db.host.findUnique({ where: { id: hostId }, select: { name: true } });
    if (h) this.engine.setHost(hostId, h.name, Date.now());
  }

  async reloadRules(): Promise<CompiledRule[]> {
    const rows = await this.db.alertRule.findMany({ where: { enabled: true }, include: { channels: { select: { channelId: true } } } });
    const rules = rows.flatMap((r) => compileRule(r) ?? []);
    this.engine.setRules(rules);
    return rules;
  }

  async reloadChannels(): Promise<void> {
    const rows = await this.db.alertChannel.findMany();
    this.delivery.setChannels(rows.map((c): ChannelTarget => ({ ...c, kind: c.kind as ChannelKind, config: parseJson(c.configJson) })));
  }

  async reloadSilences(): Promise<void> {
    const rows = await this.db.silence.findMany({ where: { endsAt: { gt: new Date() } } });
    this.silences = rows.map((s) => ({ ruleId: s.ruleId, subjectKey: s.subjectKey, endsAt: s.endsAt.getTime() }));
  }

  silenced(ruleId: string, subjectKey: string, now = Date.now()): boolean {
    return this.silences.some((s) => s.endsAt > now && (s.ruleId ?? ruleId) === ruleId && (s.subjectKey ?? subjectKey) === subjectKey);
  }

  /** The link a notification carries: the subject's page on this server. */
  link(s: Pick<AlertRow, "subjectType" | "hostId" | "targetId">): string {
    if (s.subjectType === "vm") return `${this.baseUrl}/machines/${s.hostId}/${s.targetId}`;
    if (s.subjectType === "container") return `${this.baseUrl}/containers/${s.hostId}/${s.targetId}`;
    if (s.subjectType === "host") return `${this.baseUrl}/hosts/${s.hostId}`;
    if (s.subjectType === "task") return `${this.baseUrl}/tasks`;
    return `${this.baseUrl}/alerts`;
  }

  notification(a: AlertNotification["alert"], event: AlertNotification["event"]): AlertNotification {
    return { event, sentAt: Date.now(), alert: a, url: this.link(a) };
  }

  private batch: TransitionEvent[] = [];

  /**
   * Transitions are written in batches: everything one tick (a metric batch, an event)
   * produced goes in one transaction, so a burst costs one commit, not one per alert.
   */
  private sink(e: TransitionEvent): void {
    this.batch.push(e);
    if (this.batch.length > 1) return;
    this.writes = this.writes
      .then(() => new Promise<void>((r) => setImmediate(r)))
      .then(() => this.write(this.batch.splice(0)))
      .catch((err: unknown) => console.error("[alerts] transitions not recorded:", err));
  }

  private async write(list: TransitionEvent[]): Promise<void> {
    await this.db.$transaction(async (tx) => {
      for (const { inst, transition: t, at } of list) {
        if (t === "cancelled") {
          await tx.alert.deleteMany({ where: { id: inst.id } });
          continue;
        }
        const row = alertFields(inst, t, at);
        await tx.alert.upsert({
          where: { id: inst.id },
          create: { id: inst.id, ...row },
          update: { state: row.state, value: row.value, message: row.message, firingAt: row.firingAt, resolvedAt: row.resolvedAt },
        });
      }
    });
    const deliveries: Parameters<DeliveryQueue["enqueueMany"]>[0] = [];
    for (const { inst, transition: t, at } of list) {
      this.bus.publish(
        { type: "alert.upsert", alertId: inst.id, state: t === "cancelled" ? "resolved" : alertFields(inst, t, at).state },
        audienceOf(inst.subject),
      );
      if ((t !== "firing" && t !== "resolved") || this.silenced(inst.rule.id, inst.subject.key)) continue;
      const payload = this.notification(notificationAlert(inst, alertFields(inst, t, at)), t);
      for (const channelId of inst.rule.channelIds) deliveries.push({ channelId, event: t, alertId: inst.id, payload });
    }
    if (deliveries.length) await this.delivery.enqueueMany(deliveries);
  }
}

function alertFields(inst: Instance, t: TransitionEvent["transition"], at: number) {
  const s = inst.subject;
  return {
    ruleId: inst.rule.id,
    subjectKey: s.key,
    subjectType: s.type,
    subjectName: s.name,
    hostId: s.hostId,
    targetId: s.targetId,
    state: t === "resolved" || t === "cancelled" ? ("resolved" as const) : t,
    value: inst.value,
    message: inst.message,
    since: new Date(inst.since),
    firingAt: inst.firingAt === null ? null : new Date(inst.firingAt),
    resolvedAt: t === "resolved" ? new Date(at) : null,
  };
}

function notificationAlert(inst: Instance, row: ReturnType<typeof alertFields>): AlertNotification["alert"] {
  return {
    id: inst.id,
    ruleId: inst.rule.id,
    ruleName: inst.rule.name,
    kind: inst.rule.kind,
    subjectKey: row.subjectKey,
    subjectType: inst.subject.type,
    subjectName: row.subjectName,
    hostId: row.hostId,
    targetId: row.targetId,
    state: row.state,
    value: row.value,
    message: row.message,
    since: row.since.toISOString(),
    firingAt: row.firingAt?.toISOString() ?? null,
    resolvedAt: row.resolvedAt?.toISOString() ?? null,
  };
}

/** A stored alert's subject, with the resource access checks look at. */
export function subjectOf(a: {
  subjectKey: string;
  subjectType: string;
  subjectName: string;
  hostId: string | null;
  targetId: string | null;
}): Subject {
  const type = a.subjectType as AlertRow["subjectType"];
  const hostId = a.hostId ?? undefined;
  let resource: Resource | null = null;
  if (type === "vm" || type === "container") resource = { type, id: a.targetId ?? "", hostId };
  else if (type === "host") resource = { type: "host", id: a.hostId ?? "" };
  else {
    // task:<kind>:<targetType>:<targetId>: checked on the object the task acted on.
    const [, , targetType, targetId] = a.subjectKey.split(":");
    if ((targetType === "vm" || targetType === "container") && targetId) resource = { type: targetType, id: targetId, hostId };
  }
  return { key: a.subjectKey, type, name: a.subjectName, hostId: a.hostId, targetId: a.targetId, resource };
}

/** Who is told an alert changed: whoever may read its subject, as the alerts list filters. */
export function audienceOf(s: Subject): Audience {
  const r = s.resource;
  if (s.type === "task")
    return r && r.type !== "host" && r.type !== "task" && r.hostId
      ? taskAudience({ targetType: r.type, targetId: r.id, hostId: r.hostId, userId: null })
      : { kind: "fleet", permission: "task.read" };
  if (!r) return { kind: "fleet", permission: "host.read" };
  if (r.type === "vm" || r.type === "container")
    return {
      kind: "resource",
      permission: r.type === "vm" ? "vm.read" : "container.read",
      resource: r,
      tagKey: tagKey(r.type, r.hostId ?? "", r.id),
    };
  return { kind: "resource", permission: "host.read", resource: r, tagKey: null };
}

function parseJson(s: string): Record<string, unknown> {
  try {
    return JSON.parse(s) as Record<string, unknown>;
  } catch {
    return {};
  }
}
