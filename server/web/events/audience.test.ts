import { describe, expect, it } from "vitest";
import { computeGrants, tagKey, type AccessSnapshot } from "../auth/access";
import { EventBus, type Published } from "./bus";
import { AudienceFilter, audienceOf, taskAudience, type AudienceContext } from "./audience";
import { eventForwarder } from "../ws/event-forwarder";
import type { MachineRow, TaskRow } from "../../protocol/browser-events";

const A = "aaaaaaaa-0000-0000-0000-000000000001";
const B = "bbbbbbbb-0000-0000-0000-000000000002";
const C = "cccccccc-0000-0000-0000-000000000003";

function context(snap: AccessSnapshot, placement: Record<string, string> = {}): AudienceContext & { bump: () => void } {
  let generation = 1;
  return {
    access: {
      get generation() {
        return generation;
      },
      grants: (who) => computeGrants(who, snap),
      snapshot: snap,
    },
    vmOnHost: (hostId, uuid) => placement[uuid] === hostId,
    bump: () => generation++,
  };
}

const machine = (uuid: string, hostId: string) => ({ type: "machine.upsert" as const, machine: { uuid, hostId } as MachineRow });
const assignment = (userId: string, role: string, scopeType: string, scopeId: string) => ({ userId, groupId: null, role, scopeType, scopeId });

describe("event audiences", () => {
  const snap: AccessSnapshot = {
    assignments: [assignment("sam", "viewer", "tag", "team-a"), assignment("sam", "viewer", "vm", C), assignment("hal", "viewer", "host", "h2")],
    memberOf: new Map(),
    customRoles: new Map(),
    tags: new Map([[tagKey("vm", "h1", A), ["team-a"]]]),
  };

  it("a scoped user gets events of the VMs it may read (tag, UUID, host) and nothing else", () => {
    const ctx = context(snap, { [C]: "h3" });
    const sam = new AudienceFilter(ctx, { id: "sam", role: "none" });
    const hal = new AudienceFilter(ctx, { id: "hal", role: "none" });
    const vic = new AudienceFilter(ctx, { id: "vic", role: "viewer" });
    const on = (uuid: string, h: string) => audienceOf({ ...machine(uuid, h), seq: 1 });
    expect([on(A, "h1"), on(B, "h1"), on(C, "h3"), on(B, "h2")].map((a) => sam.admits(a))).toEqual([true, false, true, false]);
    expect([on(A, "h1"), on(B, "h1"), on(C, "h3"), on(B, "h2")].map((a) => hal.admits(a))).toEqual([false, false, false, true]);
    expect([on(A, "h1"), on(B, "h1"), on(C, "h3"), on(B, "h2")].every((a) => vic.admits(a))).toBe(true);
    // Host events: whoever sees the host or anything on it (h1 by tag, h3 by UUID, h2 by host grant).
    const host = (hostId: string) => audienceOf({ type: "host.changed", hostId, seq: 1 });
    expect(["h1", "h2", "h3", "h4"].map((h) => sam.admits(host(h)))).toEqual([true, false, true, false]);
    expect(["h1", "h2", "h3", "h4"].map((h) => hal.admits(host(h)))).toEqual([false, true, false, false]);
    expect(sam.admits(audienceOf({ type: "metrics.fleet", seq: 1 }))).toBe(true);
    expect(new AudienceFilter(ctx, { id: "nobody", role: "none" }).admits(audienceOf({ type: "metrics.fleet", seq: 1 }))).toBe(false);
  });

  it("tasks go to readers of their target and to the user who started them", () => {
    const sam = new AudienceFilter(context(snap), { id: "sam", role: "none" });
    const task = (over: Partial<TaskRow>, userId: string | null) =>
      taskAudience({ targetType: "vm", targetId: B, hostId: "h1", ...over, userId } as TaskRow & { userId: string | null });
    expect(sam.admits(task({ targetId: A }, "admin"))).toBe(true);
    expect(sam.admits(task({}, "admin"))).toBe(false);
    expect(sam.admits(task({}, "sam"))).toBe(true);
    // A pool's task belongs to its host; a task without a host is fleet-wide only.
    expect(sam.admits(task({ targetType: "pool", targetId: "default" }, "admin"))).toBe(false);
    expect(new AudienceFilter(context(snap), { id: "hal", role: "none" }).admits(task({ targetType: "pool", hostId: "h2" }, "admin"))).toBe(true);
    expect(sam.admits(task({ hostId: null }, "admin"))).toBe(false);
    expect(sam.admits(task({ hostId: null }, "sam"))).toBe(true);
  });

  it("pool and network changes go to whoever may list the host's pools and networks", () => {
    const ctx = context(snap);
    const hal = new AudienceFilter(ctx, { id: "hal", role: "none" });
    const sam = new AudienceFilter(ctx, { id: "sam", role: "none" });
    const vic = new AudienceFilter(ctx, { id: "vic", role: "viewer" });
    const pools = (hostId: string) => audienceOf({ type: "pools.changed", hostId, pool: "default", cause: "started", seq: 1 });
    const nets = (hostId: string) => audienceOf({ type: "networks.changed", hostId, network: "default", cause: "stopped", seq: 1 });
    // hal holds viewer on host h2; sam only on some VMs (not the host); vic fleet-wide.
    expect([pools("h2"), nets("h2"), pools("h1"), nets("h1")].map((a) => hal.admits(a))).toEqual([true, true, false, false]);
    expect([pools("h1"), nets("h1")].map((a) => sam.admits(a))).toEqual([false, false]);
    expect([pools("h1"), nets("h2")].every((a) => vic.admits(a))).toBe(true);
  });

  it("follows a role change and a new generation without a new filter", () => {
    const s: AccessSnapshot = { ...snap, assignments: [...snap.assignments] };
    const ctx = context(s);
    const viewer = { id: "sam", role: "none" };
    const sam = new AudienceFilter(ctx, viewer);
    const b = audienceOf({ ...machine(B, "h1"), seq: 1 });
    expect(sam.admits(b)).toBe(false);
    viewer.role = "viewer";
    expect(sam.admits(b)).toBe(true);
    viewer.role = "none";
    expect(sam.admits(b)).toBe(false);
    s.assignments.push(assignment("sam", "viewer", "vm", B));
    expect(sam.admits(b)).toBe(false); // cached until the generation moves
    ctx.bump();
    expect(sam.admits(b)).toBe(true);
  });

  it("forwards only admitted events, marking gaps with prev, live and replayed alike", () => {
    const bus = new EventBus({ maxEvents: 100, maxAgeMs: 60_000, maxReplayBytes: 1 << 20 });
    const ctx = context(snap);
    for (const uuid of [A, B, B, A]) bus.publish(machine(uuid, "h1"));
    const got: string[] = [];
    const forward = eventForwarder(new AudienceFilter(ctx, { id: "sam", role: "none" }), (raw) => got.push(raw), 0);
    for (const k of bus.since(bus.epoch, 0)!) forward(k);
    const live = bus.subscribe(forward);
    bus.publish(machine(A, "h1"));
    bus.publish(machine(B, "h1"));
    bus.transient(
      { type: "task.progress", taskId: "t", done: 1, total: 2 },
      taskAudience({ targetType: "vm", targetId: A, hostId: "h1", userId: null }),
    );
    bus.transient(
      { type: "task.progress", taskId: "u", done: 1, total: 2 },
      taskAudience({ targetType: "vm", targetId: B, hostId: "h1", userId: null }),
    );
    live();
    const msgs = got.map((r) => JSON.parse(r) as { type: string; seq?: number; prev?: number; taskId?: string; machine?: { uuid: string } });
    expect(msgs.map((m) => [m.type, m.seq, m.prev, m.machine?.uuid ?? m.taskId])).toEqual([
      ["machine.upsert", 1, undefined, A],
      ["machine.upsert", 4, 1, A],
      ["machine.upsert", 5, undefined, A],
      ["task.progress", undefined, undefined, "t"],
    ]);
    // A fleet-wide user gets every event unchanged: the very JSON the bus made.
    const all: string[] = [];
    const fwd = eventForwarder(new AudienceFilter(ctx, { id: "vic", role: "viewer" }), (raw) => all.push(raw), bus.lastSeq);
    const seen: Published[] = [];
    const stop = bus.subscribe((p) => (seen.push(p), fwd(p)));
    for (let i = 0; i < 3; i++) bus.publish(machine(B, "h1"));
    stop();
    expect(all).toEqual(seen.map((p) => p.raw));
  });
});
