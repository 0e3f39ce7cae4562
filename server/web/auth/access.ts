// Who may do what where, for every route, socket and event (issue 14 point 2): the one
// place that turns a user's built-in role, their role assignments, their groups' and any
// custom roles into the grant sets `allows` (server/protocol/access.ts) decides on, plus
// the tag index that says which tags a VM or container carries.
// Assignments, groups, custom roles and tags are small and read on every request and every
// event sent, so they live in memory; every verb that changes them calls `reload()` after
// its write, which bumps `generation` and tells listeners (the sockets re-check what they
// hold). Per-user grant sets are cached per generation and role.
// Other writers (another server process on the same PostgreSQL, issue 15; a test or a
// script writing the tables directly) are seen through one Setting row, "access.generation":
// every reload() writes a fresh value into it, and every process polls it every 500 ms (a
// primary-key read) and reloads when it moved. Chosen over a signal or an internal HTTP
// hook because it needs nothing but the database every process already shares, works the
// same on SQLite and PostgreSQL, and bounds how late a revocation is seen elsewhere.
import { randomBytes } from "node:crypto";
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

/** The Setting row every reload() moves and every process polls. */
export const GENERATION_KEY = "access.generation";
export const GENERATION_POLL_MS = 500;

export class AccessService {
  private snap: AccessSnapshot = EMPTY;
  private gen = 0;
  private readonly cache = new Map<string, { gen: number; role: string; grants: GrantSets }>();
  private readonly listeners = new Set<AccessListener>();
  /** The generation row's value this process last wrote or loaded after. */
  private seenMark: string | null = null;
  private poller: NodeJS.Timeout | null = null;
  /** Loads run one after another, so an older read never replaces a newer snapshot. */
  private loading: Promise<void> = Promise.resolve();

  constructor(private readonly db: Db) {}

  /**
   * Call after any write to assignments, groups, custom roles, tags, or a user's role or
   * status: tells other processes (the generation row) and reloads this one. The row moves
   * BEFORE this process reads, so a write another process made before its own mark is in
   * this read, and one made after moves the row again (the next poll reloads).
   */
  async reload(): Promise<void> {
    const value = `${Date.now().toString(36)}.${randomBytes(6).toString("base64url")}`;
    this.seenMark = value;
    await this.db.setting.upsert({ where: { key: GENERATION_KEY }, create: { key: GENERATION_KEY, value }, update: { value } });
    await this.load();
  }

  /** At server start: the current mark, the snapshot, then polling. */
  async start(pollMs = GENERATION_POLL_MS): Promise<void> {
    const row = await this.db.setting.findUnique({ where: { key: GENERATION_KEY }, select: { value: true } });
    this.seenMark = row?.value ?? null;
    await this.load();
    this.watch(pollMs);
  }

  /** Polls the generation row: another process (or a direct write) moved it → reload. */
  watch(everyMs = GENERATION_POLL_MS): void {
    if (this.poller) return;
    this.poller = setInterval(() => void this.poll().catch((err: unknown) => console.error("[access] generation poll failed:", err)), everyMs);
    this.poller.unref();
  }

  stop(): void {
    if (this.poller) clearInterval(this.poller);
    this.poller = null;
  }

  private polling = false;
  private async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      const row = await this.db.setting.findUnique({ where: { key: GENERATION_KEY }, select: { value: true } });
      const mark = row?.value ?? null;
      if (mark === this.seenMark) return;
      this.seenMark = mark;
      await this.load();
    } finally {
      this.polling = false;
    }
  }

  /** Reads everything from the database into a new snapshot (no mark written). */
  load(): Promise<void> {
    const next = this.loading.then(() => this.read());
    this.loading = next.catch(() => undefined);
    return next;
  }

  private async read(): Promise<void> {
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

  /**
   * The accounts as they are now, for sockets that re-check what they hold when rights
   * change: a disabled or removed account is left out, a changed role is the new one.
   */
  async liveAccounts(ids: readonly string[]): Promise<Map<string, Who>> {
    if (!ids.length) return new Map();
    const rows = await this.db.user.findMany({ where: { id: { in: [...ids] }, disabledAt: null }, select: { id: true, role: true } });
    return new Map(rows.map((u) => [u.id, u]));
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
