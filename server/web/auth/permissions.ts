// What a route needs. Routes name a permission and, where it applies, the object it acts
// on; roles map to permission sets here. Scoping roles to hosts or VMs plugs in through
// `resource` without touching routes.
import type { User } from "../db/client";

export type Permission =
  | "session.manage"
  | "user.manage"
  | "host.read"
  | "host.manage"
  | "vm.read"
  | "vm.power"
  | "vm.manage"
  | "vm.console"
  | "container.read"
  | "container.manage"
  | "task.read"
  | "audit.read";

export interface Resource {
  type: "host" | "vm" | "container" | "task";
  id: string;
  hostId?: string;
}

export const ROLES = ["admin", "operator", "viewer"] as const;
export type Role = (typeof ROLES)[number];

const READ: Permission[] = ["session.manage", "host.read", "vm.read", "container.read", "task.read"];
/**
 * admin: everything, including hosts, deleting machines, users and the audit log.
 * operator: runs the fleet day to day: power, consoles, containers; cannot add or remove
 * hosts, delete machines, or manage users.
 * viewer: sees everything, changes nothing, opens no console.
 */
const GRANTS: Record<Role, ReadonlySet<Permission>> = {
  admin: new Set<Permission>([...READ, "user.manage", "host.manage", "vm.power", "vm.manage", "vm.console", "container.manage", "audit.read"]),
  operator: new Set<Permission>([...READ, "vm.power", "vm.console", "container.manage"]),
  viewer: new Set<Permission>(READ),
};

export function isRole(r: string): r is Role {
  return (ROLES as readonly string[]).includes(r);
}

export function authorize(user: Pick<User, "role">, permission: Permission, _resource?: Resource): boolean {
  return isRole(user.role) && GRANTS[user.role].has(permission);
}
