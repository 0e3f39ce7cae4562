// The alert engine: evaluates every enabled rule on what the server already receives (the
// event bus's machine, container and task rows; the agents' metric ticks; when each agent
// last spoke) and a 1 s clock for `for` durations, silent agents and restart windows.
// Evaluation is synchronous and keeps its state in memory; each transition is handed to
// the sink (store.ts), which writes, publishes and queues deliveries without ever making
// evaluation wait.
import type { BrowserEvent, ContainerRow, MachineRow, TaskRow } from "../../protocol/browser-events";
import type { MetricSample } from "../../protocol/metrics";
import type { Resource } from "../../protocol/access";
import type { RuleKind } from "../../protocol/alerts";
import {
  hostValue,
  inScope,
  StartWindow,
  thresholdCondition,
  transition,
  vmCpu,
  type CompiledRule,
  type Condition,
  type Instance,
  type Subject,
  type Transition,
} from "./rules";

export interface TransitionEvent {
  transition: Exclude<Transition, "none">;
  inst: Instance;
  at: number;
}

export interface EngineDeps {
  /** Receives every transition; must not block (it queues its own I/O). */
  sink: (e: TransitionEvent) => void;
  tagsOf: (r: Resource) => readonly string[];
  now?: () => number;
  newId?: () => string;
}

/** How long after a Hangar task on a machine or container a stop counts as Hangar's own. */
const EXPECTED_AFTER_TASK_MS = 30_000;
const STOPPED_VM = new Set(["shutoff", "shutdown", "crashed"]);
const STOPPED_CT = new Set(["exited", "dead"]);
/** Tasks that start something: a stop during them is not Hangar's doing. */
const STARTING_TASK = /\.(start|resume|unpause|create)$/;

export class AlertEngine {
  private byKind = new Map<RuleKind, CompiledRule[]>();
  private readonly live = new Map<string, Instance>();
  /** The same instances by rule, then subject: the per-sample lookup builds no key string. */
  private readonly byRule = new Map<string, Map<string, Instance>>();
  private readonly lastState = new Map<string, string>();
  /** targetId → until when a stop of it is expected (Infinity while its task runs). */
  private readonly expected = new Map<string, number>();
  private readonly starts = new StartWindow();
  private readonly hosts = new Map<string, { name: string; seenAt: number }>();
  /** Names for VM subjects of metric rules (samples carry only the UUID). */
  private readonly vmNames = new Map<string, string>();
  private readonly now: () => number;
  private readonly newId: () => string;
  private timer: NodeJS.Timeout | null = null;
  /** Rule evaluations and transitions, for the benchmark. */
  readonly stats = { evaluations: 0, transitions: 0 };

  constructor(private readonly deps: EngineDeps) {
    this.now = deps.now ?? Date.now;
    this.newId = deps.newId ?? (() => crypto.randomUUID());
  }

  start(everyMs = 1000): void {
    this.timer = setInterval(() => this.tick(), everyMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Replaces the rule set. Alerts of rules gone or disabled are resolved (or dropped if pending). */
  setRules(rules: CompiledRule[]): void {
    const byId = new Map(rules.map((r) => [r.id, r]));
    this.byKind = new Map();
    for (const r of rules) this.byKind.set(r.kind, [...(this.byKind.get(r.kind) ?? []), r]);
    for (const [k, inst] of this.live) {
      const r = byId.get(inst.rule.id);
      if (r) inst.rule = r;
      else this.finish(k, inst, inst.state === "firing" ? "resolved" : "cancelled");
    }
  }

  /** Alerts that were pending or firing when the server stopped: they carry on. */
  restore(instances: Instance[]): void {
    for (const i of instances) this.track(i);
  }

  /** A host's name and when its agent last spoke (from the database at start). */
  setHost(hostId: string, name: string, seenAt: number): void {
    this.hosts.set(hostId, { name, seenAt });
  }

  /** The agent of a host spoke (hello or a metric tick). */
  hostSeen(hostId: string): void {
    const h = this.hosts.get(hostId);
    if (h) h.seenAt = this.now();
    else this.hosts.set(hostId, { name: hostId, seenAt: this.now() });
  }

  forgetHost(hostId: string): void {
    this.hosts.delete(hostId);
    for (const [k, inst] of this.live) if (inst.subject.hostId === hostId) this.finish(k, inst, inst.state === "firing" ? "resolved" : "cancelled");
  }

  active(): IterableIterator<Instance> {
    return this.live.values();
  }

  onEvent(e: BrowserEvent): void {
    if (e.type === "machine.upsert") this.onMachine(e.machine);
    else if (e.type === "container.upsert") this.onContainer(e.container);
    else if (e.type === "task.upsert") this.onTask(e.task);
    else if (e.type === "machine.remove") this.subjectGone(`vm:${e.hostId}:${e.uuid}`);
    else if (e.type === "container.remove") this.subjectGone(`ct:${e.hostId}:${e.id}`);
  }

  onMetrics(hostId: string, samples: readonly MetricSample[]): void {
    this.hostSeen(hostId);
    const hostRules = [...this.rulesOf("host.cpu"), ...this.rulesOf("host.memory"), ...this.rulesOf("host.disk"), ...this.rulesOf("host.fs")];
    const vmRules = this.rulesOf("vm.cpu");
    for (const s of samples) {
      if (s.target === "host") {
        if (!hostRules.length) continue;
        const subject = () => this.hostSubject(hostId);
        for (const r of hostRules) this.threshold(r, `host:${hostId}`, subject, hostValue(r, s.v, s.detail));
      } else if (vmRules.length && s.target.startsWith("vm:")) {
        const uuid = s.target.slice(3);
        const value = vmCpu(s.v);
        const key = `vm:${hostId}:${uuid}`;
        // The subject is only built when the rule is about to start or change an alert.
        const subject = () => this.vmSubject(hostId, uuid);
        for (const r of vmRules) this.threshold(r, key, subject, value);
      }
    }
  }

  /** The clock: `for` durations, silent agents, restart windows, expected-stop marks. */
  tick(): void {
    const now = this.now();
    for (const [k, inst] of this.live) {
      if (inst.rule.kind === "restart.loop") {
        const c = this.starts.count(k, now, inst.rule.windowMs);
        this.apply(k, inst, c >= inst.rule.starts ? "on" : "off", c, inst.message);
      } else if (inst.state === "pending" && inst.cond === "on") this.apply(k, inst, "on", inst.value, inst.message);
    }
    for (const r of this.rulesOf("agent.silent"))
      for (const [hostId, h] of this.hosts) {
        const silentS = Math.floor((now - h.seenAt) / 1000);
        const cond: Condition = now - h.seenAt > r.silentMs ? "on" : "off";
        this.evaluate(r, `host:${hostId}`, () => this.hostSubject(hostId), cond, silentS, `agent of ${h.name} silent for ${silentS} s`);
      }
    for (const [id, until] of this.expected) if (until < now) this.expected.delete(id);
  }

  private rulesOf(kind: RuleKind): CompiledRule[] {
    return this.byKind.get(kind) ?? [];
  }

  private onMachine(m: MachineRow): void {
    if (m.stale) return;
    const key = `vm:${m.hostId}:${m.uuid}`;
    const prev = this.lastState.get(key);
    this.lastState.set(key, m.state);
    this.vmNames.set(m.uuid, m.name);
    if (prev === m.state) return;
    const subject = (): Subject => ({ key, type: "vm", name: m.name, hostId: m.hostId, targetId: m.uuid, resource: vmResource(m.hostId, m.uuid) });
    this.stateChange(key, subject, prev, m.state, STOPPED_VM, m.uuid, "vm.stopped", m.state === "running");
  }

  private onContainer(c: ContainerRow): void {
    if (c.stale) return;
    const key = `ct:${c.hostId}:${c.id}`;
    const subject = (): Subject => ({
      key,
      type: "container",
      name: c.name,
      hostId: c.hostId,
      targetId: c.id,
      resource: { type: "container", id: c.id, hostId: c.hostId },
    });
    for (const r of this.rulesOf("container.unhealthy"))
      this.evaluate(r, key, subject, c.health === "unhealthy" ? "on" : "off", null, `${c.name} is unhealthy (${c.status})`);
    const prev = this.lastState.get(key);
    this.lastState.set(key, c.state);
    if (prev === c.state) return;
    this.stateChange(key, subject, prev, c.state, STOPPED_CT, c.id, "container.stopped", c.state === "running" || c.state === "restarting");
  }

  /** Unexpected stops and restart loops, for machines and containers alike. */
  private stateChange(
    key: string,
    subject: () => Subject,
    prev: string | undefined,
    state: string,
    stopped: ReadonlySet<string>,
    targetId: string,
    stopKind: "vm.stopped" | "container.stopped",
    started: boolean,
  ): void {
    const now = this.now();
    const name = subject().name;
    // The first row seen of a subject is a baseline, not a change (server start, a new host).
    // A finished task's mark covers one stop, and a start after it ends it: the next
    // stop is someone else's.
    const mark = this.expected.get(targetId) ?? 0;
    if (mark !== Infinity && (stopped.has(state) || started)) this.expected.delete(targetId);
    if (prev !== undefined && stopped.has(state) && !stopped.has(prev)) {
      const ours = mark >= now;
      for (const r of this.rulesOf(stopKind))
        if (!ours) this.evaluate(r, key, subject, "on", null, `${name} stopped unexpectedly (${prev} → ${state})`);
    } else if (!stopped.has(state)) {
      for (const r of this.rulesOf(stopKind)) this.evaluate(r, key, subject, "off", null, `${name} is ${state}`);
    }
    if (started && prev !== undefined && prev !== state)
      for (const r of this.rulesOf("restart.loop")) {
        const k = keyOf(r.id, key);
        const n = this.starts.add(k, now, r.windowMs);
        this.evaluate(r, key, subject, n >= r.starts ? "on" : "off", n, `${name} started ${n} times in ${Math.round(r.windowMs / 1000)} s`);
      }
  }

  private onTask(t: TaskRow): void {
    if ((t.targetType === "vm" || t.targetType === "container") && !STARTING_TASK.test(t.kind)) {
      const done = t.status !== "queued" && t.status !== "running";
      this.expected.set(t.targetId, done ? this.now() + EXPECTED_AFTER_TASK_MS : Infinity);
    }
    if (t.status !== "failed" && t.status !== "succeeded") return;
    const key = `task:${t.kind}:${t.targetType}:${t.targetId}`;
    const resource: Resource | null =
      t.targetType === "vm" || t.targetType === "container" ? { type: t.targetType, id: t.targetId, hostId: t.hostId ?? undefined } : null;
    const subject = (): Subject => ({ key, type: "task", name: `${t.kind} ${t.targetName}`, hostId: t.hostId, targetId: t.id, resource });
    for (const r of this.rulesOf("task.failed")) {
      if (r.kindPrefix && !t.kind.startsWith(r.kindPrefix)) continue;
      // A later success of the same kind on the same target resolves it.
      this.evaluate(r, key, subject, t.status === "failed" ? "on" : "off", null, t.status === "failed" ? `${t.kind} failed: ${t.error ?? ""}` : "");
    }
  }

  private subjectGone(subjectKey: string): void {
    this.lastState.delete(subjectKey);
    for (const [k, inst] of this.live) if (inst.subject.key === subjectKey) this.finish(k, inst, inst.state === "firing" ? "resolved" : "cancelled");
  }

  private threshold(r: CompiledRule, key: string, subject: () => Subject, value: number | null): void {
    if (value === null) return;
    const cond = thresholdCondition(value, r.threshold, r.margin);
    // The quiet case, by far the most common, allocates nothing.
    if (cond !== "on" && !this.byRule.get(r.id)?.has(key)) {
      this.stats.evaluations++;
      return;
    }
    // The message is only built when an alert starts or changes (not per quiet sample).
    const message = () => {
      const unit = r.kind === "host.disk" ? " B/s" : "%";
      return `${r.kind.split(".")[1]} ${round(value)}${unit} (threshold ${r.threshold}${unit})`;
    };
    this.evaluate(r, key, subject, cond, value, message);
  }

  /**
   * One rule on one subject. The common case (no alert, condition not met) returns before
   * building anything: at 1,000 VMs × 10 rules per second this is the whole cost.
   */
  private evaluate(
    r: CompiledRule,
    subjectKey: string,
    subject: () => Subject,
    cond: Condition,
    value: number | null,
    text: string | (() => string),
  ): void {
    this.stats.evaluations++;
    const inst = this.byRule.get(r.id)?.get(subjectKey);
    if (!inst && cond !== "on") return;
    const message = typeof text === "string" ? text : text();
    if (inst) return this.apply(keyOf(r.id, subjectKey), inst, cond, value, message);
    const subj = subject();
    if (!inScope(r.scope, subj, this.deps.tagsOf)) return;
    const now = this.now();
    const t = transition(undefined, cond, now, r.forMs);
    if (t === "none") return;
    const fresh: Instance = { id: this.newId(), rule: r, subject: subj, state: "pending", since: now, firingAt: null, value, message, cond };
    this.track(fresh);
    // Without a `for`, it fires at once: one transition (and one write), no pending step.
    if (t === "firing") this.fire(fresh, now);
    else this.emit("pending", fresh, now);
  }

  private apply(k: string, inst: Instance, cond: Condition, value: number | null, message: string): void {
    const now = this.now();
    inst.cond = cond;
    if (value !== null) inst.value = value;
    if (cond !== "off" && message) inst.message = message;
    const t = transition(inst, cond, now, inst.rule.forMs);
    if (t === "firing") this.fire(inst, now);
    else if (t === "resolved" || t === "cancelled") this.finish(k, inst, t);
  }

  private fire(inst: Instance, now: number): void {
    inst.state = "firing";
    inst.firingAt = now;
    this.emit("firing", inst, now);
  }

  private track(inst: Instance): void {
    this.live.set(keyOf(inst.rule.id, inst.subject.key), inst);
    let m = this.byRule.get(inst.rule.id);
    if (!m) this.byRule.set(inst.rule.id, (m = new Map()));
    m.set(inst.subject.key, inst);
  }

  private finish(k: string, inst: Instance, t: "resolved" | "cancelled"): void {
    this.live.delete(k);
    this.byRule.get(inst.rule.id)?.delete(inst.subject.key);
    this.emit(t, inst, this.now());
  }

  private emit(t: TransitionEvent["transition"], inst: Instance, at: number): void {
    this.stats.transitions++;
    // The sink gets a copy: the live instance keeps changing after this call.
    this.deps.sink({ transition: t, inst: { ...inst, subject: { ...inst.subject } }, at });
  }

  private hostSubject(hostId: string): Subject {
    return {
      key: `host:${hostId}`,
      type: "host",
      name: this.hosts.get(hostId)?.name ?? hostId,
      hostId,
      targetId: hostId,
      resource: { type: "host", id: hostId },
    };
  }

  private vmSubject(hostId: string, uuid: string): Subject {
    return {
      key: `vm:${hostId}:${uuid}`,
      type: "vm",
      name: this.vmNames.get(uuid) ?? uuid,
      hostId,
      targetId: uuid,
      resource: vmResource(hostId, uuid),
    };
  }
}

function keyOf(ruleId: string, subjectKey: string): string {
  return `${ruleId}\u0000${subjectKey}`;
}

function vmResource(hostId: string, uuid: string): Resource {
  return { type: "vm", id: uuid, hostId };
}

function round(v: number): string {
  return v >= 100 ? String(Math.round(v)) : v.toFixed(1);
}
