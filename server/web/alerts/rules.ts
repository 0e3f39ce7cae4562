// Alert rules as the engine holds them, and the pure parts of evaluation: the state
// machine (pending → firing → resolved, with hysteresis), scope matching and the values a
// threshold rule reads from a metric sample. No I/O here, so the unit tests drive it with
// a controlled clock.
import type { Resource } from "../../protocol/access";
import type { AlertRule } from "../db/generated/sqlite/client";
import { HOST_METRICS, VM_METRICS, type HostDetail } from "../../protocol/metrics";
import { RULE_KINDS, THRESHOLD_KINDS, type RuleKind, type RuleScope } from "../../protocol/alerts";

export interface CompiledRule {
  id: string;
  name: string;
  kind: RuleKind;
  scope: RuleScope;
  forMs: number;
  threshold: number;
  /** Hysteresis band below the threshold. */
  margin: number;
  mount: string | null;
  starts: number;
  windowMs: number;
  silentMs: number;
  kindPrefix: string | null;
  channelIds: string[];
}

/** What an alert is about. `resource` is what access checks and tag scopes look at. */
export interface Subject {
  key: string;
  type: "vm" | "container" | "host" | "task";
  name: string;
  hostId: string | null;
  targetId: string | null;
  resource: Resource | null;
}

export type Condition = "on" | "hold" | "off";

/** One live (pending or firing) alert. */
export interface Instance {
  id: string;
  rule: CompiledRule;
  subject: Subject;
  state: "pending" | "firing";
  since: number;
  firingAt: number | null;
  value: number | null;
  message: string;
  /** The condition last seen, so the clock can promote a pending alert whose `for` elapsed. */
  cond: Condition;
}

export type Transition = "none" | "pending" | "firing" | "resolved" | "cancelled";

/**
 * The state machine. No alert: "on" starts one (firing at once when `for` is 0). Pending:
 * stays pending while "on" until `for` has elapsed, then fires; anything else cancels it
 * (the value has to stay above the threshold for the whole `for`). Firing: "hold" (inside
 * the hysteresis band) keeps it firing; only "off" resolves it.
 */
export function transition(inst: Pick<Instance, "state" | "since"> | undefined, cond: Condition, now: number, forMs: number): Transition {
  if (!inst) return cond === "on" ? (forMs <= 0 ? "firing" : "pending") : "none";
  if (inst.state === "pending") {
    if (cond !== "on") return "cancelled";
    return now - inst.since >= forMs ? "firing" : "none";
  }
  return cond === "off" ? "resolved" : "none";
}

/** Above the threshold: "on"; within `margin` below it: "hold"; lower: "off". */
export function thresholdCondition(value: number, threshold: number, margin: number): Condition {
  if (value > threshold) return "on";
  return value > threshold - margin ? "hold" : "off";
}

/** Does the rule's scope cover the subject? Host-wide subjects carry no tags, so a tag rule never covers them. */
export function inScope(scope: RuleScope, subject: Subject, tagsOf: (r: Resource) => readonly string[]): boolean {
  if (scope.type === "everything") return true;
  if (scope.type === "host") return subject.hostId === scope.id;
  const r = subject.resource;
  return !!r && (r.type === "vm" || r.type === "container") && tagsOf(r).includes(scope.id);
}

const H = (name: (typeof HOST_METRICS)[number]) => HOST_METRICS.indexOf(name);
const I = {
  cpu: H("cpu"),
  memUsed: H("mem.used"),
  memTotal: H("mem.total"),
  diskRead: H("disk.read"),
  diskWrite: H("disk.write"),
  fsUsed: H("fs.used"),
  fsTotal: H("fs.total"),
  vmCpu: VM_METRICS.indexOf("cpu"),
};
const pct = (used: number | null | undefined, total: number | null | undefined) =>
  used == null || total == null || total <= 0 ? null : (used / total) * 100;

/** The value a threshold rule compares, from one host sample; null when the sample lacks it. */
export function hostValue(rule: Pick<CompiledRule, "kind" | "mount">, v: readonly (number | null)[], detail?: HostDetail): number | null {
  switch (rule.kind) {
    case "host.cpu":
      return v[I.cpu] ?? null;
    case "host.memory":
      return pct(v[I.memUsed], v[I.memTotal]);
    case "host.disk": {
      const r = v[I.diskRead];
      const w = v[I.diskWrite];
      return r == null && w == null ? null : (r ?? 0) + (w ?? 0);
    }
    case "host.fs": {
      // Per mount when the agent sends them: the fullest (or the named) one, since one full
      // file system is the problem even when the total looks fine.
      const mounts = detail?.mounts.filter((m) => m.total > 0 && (!rule.mount || m.mount === rule.mount));
      if (mounts?.length) return Math.max(...mounts.map((m) => (m.used / m.total) * 100));
      return rule.mount ? null : pct(v[I.fsUsed], v[I.fsTotal]);
    }
    default:
      return null;
  }
}

export function vmCpu(v: readonly (number | null)[]): number | null {
  return v[I.vmCpu] ?? null;
}

const num = (x: unknown, d: number) => (typeof x === "number" && Number.isFinite(x) ? x : d);

/** A database row as the engine evaluates it; null for a kind this build does not know. */
export function compileRule(row: AlertRule & { channels: { channelId: string }[] }): CompiledRule | null {
  if (!(RULE_KINDS as readonly string[]).includes(row.kind)) return null;
  const kind = row.kind as RuleKind;
  let p: Record<string, unknown> = {};
  try {
    p = JSON.parse(row.paramsJson) as Record<string, unknown>;
  } catch {
    /* a hand-edited row: defaults */
  }
  const threshold = num(p.threshold, 90);
  return {
    id: row.id,
    name: row.name,
    kind,
    scope: scopeOf(row),
    forMs: row.forSeconds * 1000,
    threshold,
    margin: THRESHOLD_KINDS.has(kind) ? num(p.margin, threshold * 0.05) : 0,
    mount: typeof p.mount === "string" ? p.mount : null,
    starts: num(p.starts, 3),
    windowMs: num(p.windowSeconds, 300) * 1000,
    silentMs: num(p.seconds, 60) * 1000,
    kindPrefix: typeof p.kindPrefix === "string" ? p.kindPrefix : null,
    channelIds: row.channels.map((c) => c.channelId),
  };
}

export function scopeOf(row: Pick<AlertRule, "scopeType" | "scopeId">): RuleScope {
  if (row.scopeType === "host") return { type: "host", id: row.scopeId };
  if (row.scopeType === "tag") return { type: "tag", id: row.scopeId };
  return { type: "everything" };
}

/** Starts within a sliding window (restart loops). */
export class StartWindow {
  private readonly starts = new Map<string, number[]>();

  add(key: string, at: number, windowMs: number): number {
    const list = this.prune(key, at, windowMs);
    list.push(at);
    this.starts.set(key, list);
    return list.length;
  }

  count(key: string, now: number, windowMs: number): number {
    return this.prune(key, now, windowMs).length;
  }

  private prune(key: string, now: number, windowMs: number): number[] {
    const list = (this.starts.get(key) ?? []).filter((t) => now - t < windowMs);
    if (list.length) this.starts.set(key, list);
    else this.starts.delete(key);
    return list;
  }
}
