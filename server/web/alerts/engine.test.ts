// The alert state machine under a controlled clock: pending → firing after `for`,
// hysteresis on the way down, stops Hangar made itself, restart loops, silent agents.
import { describe, expect, it } from "vitest";
import type { MachineRow, TaskRow } from "../../protocol/browser-events";
import { HOST_METRICS } from "../../protocol/metrics";
import { AlertEngine, type TransitionEvent } from "./engine";
import { thresholdCondition, transition, type CompiledRule } from "./rules";

const UUID = "11111111-2222-3333-4444-555555555555";

function rule(over: Partial<CompiledRule>): CompiledRule {
  return {
    id: "r1",
    name: "rule",
    kind: "host.cpu",
    scope: { type: "everything" },
    forMs: 0,
    threshold: 80,
    margin: 10,
    mount: null,
    starts: 3,
    windowMs: 60_000,
    silentMs: 30_000,
    kindPrefix: null,
    channelIds: [],
    ...over,
  };
}

function setup(rules: CompiledRule[], tags: Record<string, string[]> = {}) {
  const clock = { t: 1_000_000 };
  const events: TransitionEvent[] = [];
  let n = 0;
  const engine = new AlertEngine({ sink: (e) => events.push(e), tagsOf: (r) => tags[r.id] ?? [], now: () => clock.t, newId: () => `a${++n}` });
  engine.setRules(rules);
  const seen = () => events.map((e) => `${e.transition}:${e.inst.subject.key}`);
  return { clock, events, engine, seen };
}

function hostSample(cpu: number) {
  const v: (number | null)[] = HOST_METRICS.map(() => null);
  v[HOST_METRICS.indexOf("cpu")] = cpu;
  return [{ target: "host", t: 0, v }];
}

function machine(state: string, hostId = "h1"): MachineRow {
  return { uuid: UUID, name: "web-1", state, hostId, hostName: "lab", stale: false, observedAt: "" } as unknown as MachineRow;
}

function task(kind: string, status: TaskRow["status"]): TaskRow {
  return { id: `t-${kind}-${status}`, kind, targetType: "vm", targetId: UUID, targetName: "web-1", hostId: "h1", user: "admin", status } as TaskRow;
}

describe("transition and thresholds", () => {
  it("pending until `for` has elapsed, cancelled by a dip, firing held inside the margin", () => {
    expect(transition(undefined, "on", 0, 5000)).toBe("pending");
    expect(transition(undefined, "on", 0, 0)).toBe("firing");
    expect(transition(undefined, "hold", 0, 0)).toBe("none");
    expect(transition({ state: "pending", since: 0 }, "on", 4999, 5000)).toBe("none");
    expect(transition({ state: "pending", since: 0 }, "on", 5000, 5000)).toBe("firing");
    expect(transition({ state: "pending", since: 0 }, "hold", 1000, 5000)).toBe("cancelled");
    expect(transition({ state: "firing", since: 0 }, "hold", 1000, 5000)).toBe("none");
    expect(transition({ state: "firing", since: 0 }, "off", 1000, 5000)).toBe("resolved");
    expect([thresholdCondition(81, 80, 10), thresholdCondition(75, 80, 10), thresholdCondition(70, 80, 10)]).toEqual(["on", "hold", "off"]);
  });
});

describe("AlertEngine", () => {
  it("host CPU: pending, firing after 10 s on the clock, held at 75 %, resolved at 65 %", () => {
    const { clock, engine, seen } = setup([rule({ forMs: 10_000 })]);
    engine.onMetrics("h1", hostSample(90));
    expect(seen()).toEqual(["pending:host:h1"]);
    clock.t += 5000;
    engine.tick();
    expect(seen()).toHaveLength(1);
    clock.t += 5000;
    engine.tick();
    expect(seen()).toEqual(["pending:host:h1", "firing:host:h1"]);
    engine.onMetrics("h1", hostSample(75));
    expect(seen()).toHaveLength(2);
    engine.onMetrics("h1", hostSample(65));
    expect(seen()).toEqual(["pending:host:h1", "firing:host:h1", "resolved:host:h1"]);
  });

  it("a dip below the threshold while pending cancels it; nothing fires", () => {
    const { clock, engine, seen } = setup([rule({ forMs: 10_000 })]);
    engine.onMetrics("h1", hostSample(90));
    clock.t += 5000;
    engine.onMetrics("h1", hostSample(79));
    clock.t += 10_000;
    engine.tick();
    expect(seen()).toEqual(["pending:host:h1", "cancelled:host:h1"]);
  });

  it("a VM stopped behind Hangar's back fires; started again resolves; a stop by a Hangar task does not fire", () => {
    const { clock, engine, seen, events } = setup([rule({ kind: "vm.stopped" })]);
    engine.onEvent({ type: "machine.upsert", seq: 1, machine: machine("running") });
    expect(seen()).toEqual([]);
    engine.onEvent({ type: "machine.upsert", seq: 2, machine: machine("shutoff") });
    expect(seen()).toEqual([`firing:vm:h1:${UUID}`]);
    expect(events[0]!.inst.message).toContain("stopped unexpectedly");
    engine.onEvent({ type: "machine.upsert", seq: 3, machine: machine("running") });
    expect(seen().at(-1)).toBe(`resolved:vm:h1:${UUID}`);
    const before = seen().length;
    engine.onEvent({ type: "task.upsert", seq: 4, task: task("vm.shutdown", "running") });
    engine.onEvent({ type: "machine.upsert", seq: 5, machine: machine("shutoff") });
    engine.onEvent({ type: "task.upsert", seq: 6, task: task("vm.shutdown", "succeeded") });
    expect(seen()).toHaveLength(before);
    // Started again right after, the next stop is not the task's: it fires.
    engine.onEvent({ type: "machine.upsert", seq: 7, machine: machine("running") });
    clock.t += 1000;
    engine.onEvent({ type: "machine.upsert", seq: 8, machine: machine("crashed") });
    expect(seen().at(-1)).toBe(`firing:vm:h1:${UUID}`);
  });

  it("the first row seen of a machine is a baseline, not a stop", () => {
    const { engine, seen } = setup([rule({ kind: "vm.stopped" })]);
    engine.onEvent({ type: "machine.upsert", seq: 1, machine: machine("shutoff") });
    expect(seen()).toEqual([]);
  });

  it("scopes: a host rule ignores other hosts; a tag rule covers only tagged VMs", () => {
    const { engine, seen } = setup([
      rule({ id: "host", kind: "vm.stopped", scope: { type: "host", id: "h2" } }),
      rule({ id: "tag", kind: "vm.stopped", scope: { type: "tag", id: "web" } }),
    ]);
    engine.onEvent({ type: "machine.upsert", seq: 1, machine: machine("running") });
    engine.onEvent({ type: "machine.upsert", seq: 2, machine: machine("shutoff") });
    expect(seen()).toEqual([]);
    const tagged = setup([rule({ id: "tag", kind: "vm.stopped", scope: { type: "tag", id: "web" } })], { [UUID]: ["web"] });
    tagged.engine.onEvent({ type: "machine.upsert", seq: 1, machine: machine("running") });
    tagged.engine.onEvent({ type: "machine.upsert", seq: 2, machine: machine("shutoff") });
    expect(tagged.seen()).toEqual([`firing:vm:h1:${UUID}`]);
  });

  it("restart loop: 3 starts in the window fire; it resolves once the window has passed", () => {
    const { clock, engine, seen } = setup([rule({ kind: "restart.loop", starts: 3, windowMs: 60_000 })]);
    engine.onEvent({ type: "machine.upsert", seq: 1, machine: machine("shutoff") });
    for (let i = 0; i < 3; i++) {
      clock.t += 1000;
      engine.onEvent({ type: "task.upsert", seq: 2, task: task("vm.start", "running") });
      engine.onEvent({ type: "machine.upsert", seq: 3, machine: machine("running") });
      engine.onEvent({ type: "machine.upsert", seq: 4, machine: machine("shutoff") });
    }
    expect(seen().at(-1)).toBe(`firing:vm:h1:${UUID}`);
    clock.t += 61_000;
    engine.tick();
    expect(seen().at(-1)).toBe(`resolved:vm:h1:${UUID}`);
  });

  it("agent silent: fires after N s without a word from the agent, resolves when it speaks", () => {
    const { clock, engine, seen } = setup([rule({ kind: "agent.silent", silentMs: 30_000 })]);
    engine.setHost("h1", "lab", clock.t);
    clock.t += 29_000;
    engine.tick();
    expect(seen()).toEqual([]);
    clock.t += 2000;
    engine.tick();
    expect(seen()).toEqual(["firing:host:h1"]);
    engine.hostSeen("h1");
    engine.tick();
    expect(seen().at(-1)).toBe("resolved:host:h1");
  });

  it("task failed fires; a later success of the same kind on the same target resolves it", () => {
    const { engine, seen } = setup([rule({ kind: "task.failed", kindPrefix: "vm.backup" })]);
    engine.onEvent({ type: "task.upsert", seq: 1, task: task("vm.start", "failed") });
    expect(seen()).toEqual([]);
    engine.onEvent({ type: "task.upsert", seq: 2, task: task("vm.backup", "failed") });
    expect(seen()).toHaveLength(1);
    engine.onEvent({ type: "task.upsert", seq: 3, task: task("vm.backup", "succeeded") });
    expect(seen().at(-1)).toBe(`resolved:task:vm.backup:vm:${UUID}`);
  });

  it("disabling a rule resolves its firing alerts", () => {
    const { engine, seen } = setup([rule({})]);
    engine.onMetrics("h1", hostSample(95));
    engine.setRules([]);
    expect(seen()).toEqual(["firing:host:h1", "resolved:host:h1"]);
  });
});
