// Who may do what where, for every route, socket and event (issue 14 point 2): the one
// place that turns a user's built-in role, their role assignments, their groups' and any
// custom roles into the grant sets `allows` (server/protocol/access.ts) decides on, plus
// the tag index that says which tags a VM or container carries.
// Assignments, groups, custom roles and tags are small and read on every request and every
// event sent, so they live in memory; every verb that changes them calls `reload()` after
// its write, which bumps `generation` and tells listeners (the sockets re-check what they
// hold). Per-user grant sets are cached per generation and role.
import type { Db, User } from "../db/client";
import { allows, allowsSomewhere, grantSets, type GrantSets, type GrantsJson, type Resource } from "../../protocol/access";
import { isRole, permissionsOf, PERMISSIONS, type Permission } from "../../protocol/roles";

type Who = Pick<User, "id" | "role">;

interface Assignment {
  userId: string | null;
  groupId: string | null;
  role: string;
  scopeType: string;
  scopeId: string;
}

export interface AccessSnapshot {
  assignments: Assignment[];
  /** userId → group ids */
  memberOf: Map<string, string[]>;
  /** custom role id → permissions */
  customRoles: Map<string, Permission[]>;
  /** "vm:<hostId>:<uuid>" / "container:<hostId>:<id>" → tags */
  tags: Map<string, string[]>;
}

const EMPTY: AccessSnapshot = { assignments: [], memberOf: new Map(), customRoles: new Map(), tags: new Map() };

export function tagKey(type: "vm" | "container", hostId: string, id: string): string {
  return `${type}:${hostId}:${id}`;
}

/** The permissions a role name stands for: a built-in role, or a custom role's id. */
export function rolePermissions(role: string, customRoles: ReadonlyMap<string, Permission[]>): Permission[] {
  return isRole(role) ? permissionsOf(role) : (customRoles.get(role) ?? []);
}

/** A user's grant sets from a snapshot: pure, so tests and the fan-out benchmark build them directly. */
export function computeGrants(user: Who, snap: AccessSnapshot): GrantSets {
  const g: GrantsJson = { global: [...permissionsOf(user.role)], hosts: {}, vms: {}, tags: {} };
  const groups = new Set(snap.memberOf.get(user.id) ?? []);
  for (const a of snap.assignments) {
    if (a.userId !== user.id && !(a.groupId && groups.has(a.groupId))) continue;
    const perms = rolePermissions(a.role, snap.customRoles);
    const into =
      a.scopeType === "global"
        ? g.global
        : a.scopeType === "host"
          ? (g.hosts[a.scopeId] ??= [])
          : a.scopeType === "vm"
            ? (g.vms[a.scopeId] ??= [])
            : a.scopeType === "tag"
              ? (g.tags[a.scopeId] ??= [])
              : null;
    if (into) into.push(...perms);
  }
  const dedupe = (l: string[]) => PERMISSIONS.filter((p) => l.includes(p));
  const each = (r: Record<string, string[]>) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, dedupe(v)]));
  return grantSets({ global: dedupe(g.global), hosts: each(g.hosts), vms: each(g.vms), tags: each(g.tags) });
}

export type AccessListener = () => void;

export class AccessService {
  private snap: AccessSnapshot = EMPTY;
  private gen = 0;
  private readonly cache = new Map<string, { gen: number; role: string; grants: GrantSets }>();
  private readonly listeners = new Set<AccessListener>();

  constructor(private readonly db: Db) {}

  /** Reads everything from the database; call after any write to assignments, groups, roles or tags. */
  async reload(): Promise<void> {
    const [assignments, members, roles, tags] = await Promise.all([
      this.db.roleAssignment.findMany({ select: { userId: true, groupId: true, role: true, scopeType: true, scopeId: true } }),
      this.db.groupMember.findMany({ select: { userId: true, groupId: true } }),
      this.db.customRole.findMany({ select: { id: true, permissionsJson: true } }),
      this.db.resourceTag.findMany({ select: { targetType: true, hostId: true, targetId: true, tag: true }, orderBy: { tag: "asc" } }),
    ]);
    const memberOf = new Map<string, string[]>();
    for (const m of members) (memberOf.get(m.userId) ?? memberOf.set(m.userId, []).get(m.userId)!).push(m.groupId);
    const customRoles = new Map(roles.map((r) => [r.id, parsePermissions(r.permissionsJson)] as const));
    const tagMap = new Map<string, string[]>();
    for (const t of tags) {
      const k = tagKey(t.targetType === "container" ? "container" : "vm", t.hostId, t.targetId);
      (tagMap.get(k) ?? tagMap.set(k, []).get(k)!).push(t.tag);
    }
    this.snap = { assignments, memberOf, customRoles, tags: tagMap };
    this.gen++;
    this.cache.clear();
    for (const l of this.listeners) {
      try {
        l();
      } catch (err) {
        console.error("[access] listener failed:", err);
      }
    }
  }

  /** Bumps with every reload: a socket that cached a decision re-checks when it moves. */
  get generation(): number {
    return this.gen;
  }

  get snapshot(): AccessSnapshot {
    return this.snap;
  }

  /** Called after every reload (assignments, groups, roles or tags changed). */
  onChange(l: AccessListener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  grants(user: Who): GrantSets {
    const hit = this.cache.get(user.id);
    if (hit && hit.gen === this.gen && hit.role === user.role) return hit.grants;
    const grants = computeGrants(user, this.snap);
    this.cache.set(user.id, { gen: this.gen, role: user.role, grants });
    return grants;
  }

  tagsOf(r: Resource): readonly string[] {
    if ((r.type !== "vm" && r.type !== "container") || r.hostId === undefined) return [];
    return this.snap.tags.get(tagKey(r.type, r.hostId, r.id)) ?? [];
  }

  /** May `user` do `permission` on `resource` (no resource: fleet-wide)? */
  can(user: Who, permission: Permission, resource?: Resource): boolean {
    const g = this.grants(user);
    return allows(g, permission, resource, resource ? this.tagsOf(resource) : []);
  }

  /** Does `user` hold `permission` on at least one scope (list routes, which filter their rows)? */
  canSomewhere(user: Who, permission: Permission): boolean {
    return allowsSomewhere(this.grants(user), permission);
  }
}

function parsePermissions(json: string): Permission[] {
  try {
    const list = JSON.parse(json) as unknown;
    return Array.isArray(list) ? PERMISSIONS.filter((p) => list.includes(p)) : [];
  } catch {
    return [];
  }
}
