import { describe, expect, it } from "vitest";
import { allows, allowsSomewhere } from "../../protocol/access";
import { computeGrants, tagKey, type AccessSnapshot } from "./access";

const snap = (over: Partial<AccessSnapshot>): AccessSnapshot => ({
  assignments: [],
  memberOf: new Map(),
  customRoles: new Map(),
  tags: new Map(),
  ...over,
});
const grant = (subject: { userId?: string; groupId?: string }, role: string, scopeType: string, scopeId = "") => ({
  userId: subject.userId ?? null,
  groupId: subject.groupId ?? null,
  role,
  scopeType,
  scopeId,
});

describe("scoped grants", () => {
  it("a fleet-wide role covers everything, a role of none covers nothing", () => {
    const op = computeGrants({ id: "u1", role: "operator" }, snap({}));
    expect(allows(op, "vm.power")).toBe(true);
    expect(allows(op, "vm.power", { type: "vm", id: "x", hostId: "h" })).toBe(true);
    expect(allows(op, "vm.manage", { type: "vm", id: "x", hostId: "h" })).toBe(false);
    const none = computeGrants({ id: "u2", role: "none" }, snap({}));
    expect(allows(none, "vm.read", { type: "vm", id: "x", hostId: "h" })).toBe(false);
    // Every account manages its own sessions, tokens and second factor.
    expect(allows(none, "session.manage")).toBe(true);
  });

  it("unions host, VM, tag and group assignments, each only where it applies", () => {
    const s = snap({
      assignments: [
        grant({ userId: "u" }, "viewer", "host", "h1"),
        grant({ userId: "u" }, "operator", "vm", "vm-a"),
        grant({ groupId: "g" }, "operator", "tag", "web"),
        grant({ groupId: "other" }, "admin", "global"),
      ],
      memberOf: new Map([["u", ["g"]]]),
      tags: new Map([[tagKey("vm", "h2", "vm-b"), ["web"]]]),
    });
    const g = computeGrants({ id: "u", role: "none" }, s);
    const tagsOf = (hostId: string, id: string) => s.tags.get(tagKey("vm", hostId, id)) ?? [];
    expect(allows(g, "vm.read", { type: "vm", id: "any", hostId: "h1" })).toBe(true);
    expect(allows(g, "vm.power", { type: "vm", id: "any", hostId: "h1" })).toBe(false);
    expect(allows(g, "vm.power", { type: "vm", id: "vm-a", hostId: "h9" })).toBe(true);
    expect(allows(g, "vm.power", { type: "vm", id: "vm-b", hostId: "h2" }, tagsOf("h2", "vm-b"))).toBe(true);
    expect(allows(g, "vm.power", { type: "vm", id: "vm-c", hostId: "h2" }, tagsOf("h2", "vm-c"))).toBe(false);
    expect(allows(g, "host.read", { type: "host", id: "h1" })).toBe(true);
    expect(allows(g, "host.read", { type: "host", id: "h2" })).toBe(false);
    // Not in group "other": its global admin grant is not theirs.
    expect(allows(g, "vm.manage", { type: "vm", id: "vm-a", hostId: "h9" })).toBe(false);
    // No resource: only fleet-wide grants count; lists only need the permission somewhere.
    expect(allows(g, "vm.read")).toBe(false);
    expect(allowsSomewhere(g, "vm.power")).toBe(true);
    expect(allowsSomewhere(g, "vm.manage")).toBe(false);
  });

  it("fleet-only permissions mean nothing on a scope; custom roles grant their list", () => {
    const s = snap({
      assignments: [grant({ userId: "u" }, "admin", "host", "h1"), grant({ userId: "u" }, "role-x", "vm", "vm-a")],
      customRoles: new Map([["role-x", ["vm.read", "vm.console"]]]),
    });
    const g = computeGrants({ id: "u", role: "viewer" }, s);
    expect(allows(g, "user.manage", { type: "host", id: "h1" })).toBe(false);
    expect(allowsSomewhere(g, "audit.read")).toBe(false);
    expect(allows(g, "host.manage", { type: "host", id: "h1" })).toBe(true);
    expect(allows(g, "vm.console", { type: "vm", id: "vm-a", hostId: "h2" })).toBe(true);
    expect(allows(g, "vm.power", { type: "vm", id: "vm-a", hostId: "h2" })).toBe(false);
  });
});
