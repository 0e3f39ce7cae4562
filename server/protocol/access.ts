// Scoped rights (issue 14): what a user may do where. One pure function, `allows`, decides
// for the server (every route, socket and event) and for the browser (which only hides what
// would be refused), from the same compact grant list the server sends in /api/auth/me.
import type { Permission } from "./roles";

export const SCOPE_TYPES = ["global", "host", "vm", "tag"] as const;
export type ScopeType = (typeof SCOPE_TYPES)[number];

/**
 * Permissions that only mean something fleet-wide: a grant of them on a host, VM or tag
 * gives nothing (managing users or reading the whole audit log cannot be "for one VM").
 */
// alert.manage: rules, channels (with their secrets) and silences are fleet configuration.
// Backup jobs aim at a VM, a tag or a host and write to host directories: fleet-wide only too.
export const GLOBAL_ONLY: ReadonlySet<Permission> = new Set<Permission>([
  "user.manage",
  "audit.read",
  "audit.manage",
  "alert.manage",
  "backup.read",
  "backup.run",
  "backup.manage",
]);

/** What every signed-in account may do, whatever its roles: its own sessions, tokens, second factor. */
export const ALWAYS: ReadonlySet<Permission> = new Set<Permission>(["session.manage"]);

/** The object a permission is checked on. `tags` are filled in by whoever checks (the tag index). */
export interface Resource {
  type: "host" | "vm" | "container" | "task";
  id: string;
  hostId?: string;
}

/**
 * One user's rights, flattened: permission lists per scope, as /api/auth/me sends them. No
 * zod here on purpose: this module is in every page's bundle (useCan), and zod in the client
 * costs bundle size and, when it compiles a parser, a CSP eval violation.
 */
export interface GrantsJson {
  global: Permission[];
  hosts: Record<string, string[]>;
  vms: Record<string, string[]>;
  tags: Record<string, string[]>;
}

/** In-memory form of Grants: sets, for lookups on every event of the fan-out. */
export interface GrantSets {
  global: ReadonlySet<Permission>;
  hosts: ReadonlyMap<string, ReadonlySet<Permission>>;
  vms: ReadonlyMap<string, ReadonlySet<Permission>>;
  tags: ReadonlyMap<string, ReadonlySet<Permission>>;
  /** Every permission held on at least one scope (a list route needs it somewhere). */
  somewhere: ReadonlySet<Permission>;
}

export function grantSets(g: GrantsJson): GrantSets {
  const map = (r: Record<string, string[]>) => new Map(Object.entries(r).map(([k, v]) => [k, new Set(v as Permission[])] as const));
  const sets = { global: new Set(g.global), hosts: map(g.hosts), vms: map(g.vms), tags: map(g.tags) };
  const somewhere = new Set<Permission>(sets.global);
  for (const m of [sets.hosts, sets.vms, sets.tags]) for (const s of m.values()) for (const p of s) somewhere.add(p);
  return { ...sets, somewhere };
}

export function grantsJson(g: Omit<GrantSets, "somewhere">): GrantsJson {
  const obj = (m: ReadonlyMap<string, ReadonlySet<Permission>>) => Object.fromEntries([...m].map(([k, v]) => [k, [...v]]));
  return { global: [...g.global], hosts: obj(g.hosts), vms: obj(g.vms), tags: obj(g.tags) };
}

/**
 * May the holder of `g` do `p` on `r`? No resource: only a fleet-wide grant counts. A host
 * is covered by global and host grants; a VM or container also by a grant on its UUID (VMs)
 * and on any of its tags. A task is checked on the object it acts on (callers pass that).
 */
export function allows(g: GrantSets, p: Permission, r?: Resource, tags: readonly string[] = []): boolean {
  if (ALWAYS.has(p) || g.global.has(p)) return true;
  if (!r || GLOBAL_ONLY.has(p)) return false;
  const hostId = r.type === "host" ? r.id : r.hostId;
  if (hostId !== undefined && g.hosts.get(hostId)?.has(p)) return true;
  if (r.type === "vm" && g.vms.get(r.id)?.has(p)) return true;
  if (r.type === "vm" || r.type === "container") for (const t of tags) if (g.tags.get(t)?.has(p)) return true;
  return false;
}

/** Held on at least one scope: enough to reach a list route, which then filters its rows. */
export function allowsSomewhere(g: GrantSets, p: Permission): boolean {
  return ALWAYS.has(p) || g.global.has(p) || (!GLOBAL_ONLY.has(p) && g.somewhere.has(p));
}

/**
 * What a task is checked on: the VM or container it acts on, else its host (pools,
 * networks, volumes, images are host configuration). A task of no host: fleet-wide only.
 */
export function taskResource(t: { targetType: string; targetId: string; hostId: string | null }): Resource | undefined {
  if (t.hostId === null) return undefined;
  if (t.targetType === "vm" || t.targetType === "container") return { type: t.targetType, id: t.targetId, hostId: t.hostId };
  return { type: "host", id: t.hostId };
}
