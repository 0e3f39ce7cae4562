// Who may receive a published event (issue 14 point 2). Each event is given its audience
// once, when it is published (and the replay ring keeps it), so that the per-socket check
// in the fan-out is a handful of Map lookups on precomputed keys: no JSON is parsed per
// socket. The same filter (AudienceFilter) runs in /ws/events and in bench/scope-fanout.ts.
import type { BrowserEvent, TaskRow } from "../../protocol/browser-events";
import { allows, type GrantSets, type Resource } from "../../protocol/access";
import type { Permission } from "../../protocol/roles";
import { tagKey, type AccessService } from "../auth/access";

export type Audience =
  /** An event about one VM, container or host: `permission` on it (tags looked up by `tagKey`). */
  | { kind: "resource"; permission: Permission; resource: Resource; tagKey: string | null; ownerId?: string }
  /**
   * A host-level event (host.changed, machines.host): for whoever may read the host, or may
   * read anything on it. A user who sees one VM of a host needs to know when that host goes
   * offline (its rows turn stale); the event says no more than the host's id and freshness.
   */
  | { kind: "host"; hostId: string }
  /** `permission` held on any scope (metrics.fleet: the dashboard's summaries are filtered by REST). */
  | { kind: "somewhere"; permission: Permission }
  /** `permission` fleet-wide only (a task with no host), or the user it belongs to. */
  | { kind: "fleet"; permission: Permission; ownerId?: string };

function onResource(permission: Permission, type: "vm" | "container", hostId: string, id: string, ownerId?: string): Audience {
  return { kind: "resource", permission, resource: { type, id, hostId }, tagKey: tagKey(type, hostId, id), ...(ownerId ? { ownerId } : {}) };
}

/** A task's audience: task.read on what it acts on, or the user who started it. */
export function taskAudience(t: Pick<TaskRow, "targetType" | "targetId" | "hostId"> & { userId: string | null }): Audience {
  const owner = t.userId ?? undefined;
  if (!t.hostId) return { kind: "fleet", permission: "task.read", ownerId: owner };
  if (t.targetType === "vm" || t.targetType === "container") return onResource("task.read", t.targetType, t.hostId, t.targetId, owner);
  // Images, pools, volumes, networks and the host itself belong to the host.
  return { kind: "resource", permission: "task.read", resource: { type: "host", id: t.hostId }, tagKey: null, ownerId: owner };
}

/**
 * The audience an event has when its publisher does not say: derived from the event. Tasks
 * (whose owner is not in the browser's row) and console viewers (a container's or a VM's)
 * are published with their audience by their services.
 */
export function audienceOf(e: BrowserEvent): Audience {
  switch (e.type) {
    case "machine.upsert":
      return onResource("vm.read", "vm", e.machine.hostId, e.machine.uuid);
    case "machine.remove":
      return onResource("vm.read", "vm", e.hostId, e.uuid);
    case "container.upsert":
      return onResource("container.read", "container", e.container.hostId, e.container.id);
    case "container.remove":
      return onResource("container.read", "container", e.hostId, e.id);
    case "console.viewers":
      return onResource("vm.read", "vm", e.hostId, e.uuid);
    case "machines.host":
    case "host.changed":
      return { kind: "host", hostId: e.hostId };
    case "metrics.fleet":
      return { kind: "somewhere", permission: "host.read" };
    case "task.upsert":
      return taskAudience({ ...e.task, userId: null });
    case "pools.changed":
    case "networks.changed":
      // Whoever may list the host's pools or networks (GET …/pools, …/networks: vm.read on the host).
      return { kind: "resource", permission: "vm.read", resource: { type: "host", id: e.hostId }, tagKey: null };
    default:
      // Nothing else goes through the bus; whatever might later is fleet-wide until it says.
      return { kind: "fleet", permission: "host.read" };
  }
}

/** What a filter needs of the server: the rights, and where a VM lives now (for host events). */
export interface AudienceContext {
  access: Pick<AccessService, "generation" | "grants" | "snapshot">;
  vmOnHost: (hostId: string, uuid: string) => boolean;
}

/** The user a socket belongs to, as currently known (the role changes in place). */
export interface Viewer {
  id: string;
  role: string;
}

/**
 * One socket's view: may this user receive an event of this audience? Grants are cached
 * until the access generation or the user's role changes. A permission held fleet-wide is
 * one Set lookup (the fast path: admins, operators and viewers never look further).
 */
export class AudienceFilter {
  private gen = -1;
  private role = "";
  private grants!: GrantSets;
  /** Hosts where a tag this user holds vm.read/container.read on marks something (per generation). */
  private tagHosts: Set<string> | null = null;

  constructor(
    private readonly ctx: AudienceContext,
    readonly viewer: Viewer,
  ) {}

  private current(): GrantSets {
    if (this.gen !== this.ctx.access.generation || this.role !== this.viewer.role) {
      this.gen = this.ctx.access.generation;
      this.role = this.viewer.role;
      this.grants = this.ctx.access.grants(this.viewer);
      this.tagHosts = null;
    }
    return this.grants;
  }

  admits(a: Audience): boolean {
    const g = this.current();
    switch (a.kind) {
      case "resource": {
        if (g.global.has(a.permission) || a.ownerId === this.viewer.id) return true;
        const tags = a.tagKey === null ? undefined : this.ctx.access.snapshot.tags.get(a.tagKey);
        return allows(g, a.permission, a.resource, tags);
      }
      case "fleet":
        return g.global.has(a.permission) || a.ownerId === this.viewer.id;
      case "somewhere":
        return g.somewhere.has(a.permission);
      case "host":
        return this.seesHost(g, a.hostId);
    }
  }

  /** May read the host, or anything on it (rare events: a few lookups per grant are fine). */
  private seesHost(g: GrantSets, hostId: string): boolean {
    if (g.global.has("host.read") || g.global.has("vm.read") || g.global.has("container.read")) return true;
    const onHost = g.hosts.get(hostId);
    if (onHost && (onHost.has("host.read") || onHost.has("vm.read") || onHost.has("container.read"))) return true;
    for (const [uuid, perms] of g.vms) if (perms.has("vm.read") && this.ctx.vmOnHost(hostId, uuid)) return true;
    return this.hostsByTag(g).has(hostId);
  }

  private hostsByTag(g: GrantSets): Set<string> {
    if (this.tagHosts) return this.tagHosts;
    const hosts = new Set<string>();
    const reads = (tag: string, type: string) => g.tags.get(tag)?.has(type === "vm" ? "vm.read" : "container.read") ?? false;
    if (g.tags.size)
      for (const [key, tags] of this.ctx.access.snapshot.tags) {
        // key: "<type>:<hostId>:<id>" (tagKey); neither a host id nor a VM or container id holds a colon.
        const type = key.slice(0, key.indexOf(":"));
        if (tags.some((t) => reads(t, type))) hosts.add(key.slice(type.length + 1, key.lastIndexOf(":")));
      }
    this.tagHosts = hosts;
    return hosts;
  }
}
