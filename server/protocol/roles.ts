// Roles and what they may do: shared by the server (which enforces it on every request and
// socket) and the browser (which only hides what would be refused).
export type Permission =
  | "session.manage"
  | "user.manage"
  | "host.read"
  | "host.manage"
  | "vm.read"
  | "vm.power"
  | "vm.manage"
  | "vm.console"
  | "vm.create"
  | "vm.edit"
  | "vm.migrate"
  | "container.read"
  | "container.manage"
  | "storage.manage"
  | "network.manage"
  | "task.read"
  | "audit.read"
  | "audit.manage"
  | "alert.read"
  | "alert.manage"
  | "backup.read"
  | "backup.run"
  | "backup.manage";

export const ROLES = ["admin", "operator", "viewer"] as const;
export type Role = (typeof ROLES)[number];

// alert.read: the alerts page and the header badge; each alert is still shown only to whoever
// may read its VM, container or host.
const READ: Permission[] = ["session.manage", "host.read", "vm.read", "container.read", "task.read", "alert.read", "backup.read"];
/**
 * admin: everything, including hosts, deleting machines, users and the audit log.
 * operator: runs the fleet day to day: power, consoles, containers; cannot add or remove
 * hosts, delete machines, or manage users.
 * operator also creates VMs (vm.create: the wizard, clone, import, with the new disks they
 * need) and changes them (vm.edit: sizes, devices, boot, snapshots); deleting a VM stays
 * vm.manage, an admin's.
 * Only admins manage storage (storage.manage: pools, free-standing volumes, uploads) and
 * networks (network.manage): both are host configuration, like adding a host.
 * Backup jobs (backup.manage: create, edit, delete, restore) write to directories on the
 * hosts and define machines: host configuration, an admin's. Operators may run a job now
 * and pause or resume it (backup.run); everyone sees jobs and runs (backup.read).
 * vm.migrate (admin, operator): moves a running VM to another host; checked on the VM AND
 * on the target host, so a scoped operator moves VMs only between hosts it holds.
 * viewer: sees everything, changes nothing, opens no console.
 */
const GRANTS: Record<Role, ReadonlySet<Permission>> = {
  admin: new Set<Permission>([
    ...READ,
    "user.manage",
    "host.manage",
    "vm.power",
    "vm.manage",
    "vm.console",
    "container.manage",
    "vm.create",
    "vm.edit",
    "vm.migrate",
    "storage.manage",
    "network.manage",
    "audit.read",
    // The audit retention setting: how long the log is kept.
    "audit.manage",
    // Alert rules, channels (with their secrets) and silences.
    "alert.manage",
    "backup.run",
    "backup.manage",
  ]),
  operator: new Set<Permission>([...READ, "vm.power", "vm.console", "vm.create", "vm.edit", "vm.migrate", "container.manage", "backup.run"]),
  viewer: new Set<Permission>(READ),
};

export function isRole(r: string): r is Role {
  return (ROLES as readonly string[]).includes(r);
}

/** Every permission, in the order the UI lists them (API token dialog). */
export const PERMISSIONS: readonly Permission[] = [
  "session.manage",
  "host.read",
  "host.manage",
  "vm.read",
  "vm.power",
  "vm.console",
  "vm.create",
  "vm.edit",
  "vm.migrate",
  "vm.manage",
  "container.read",
  "container.manage",
  "storage.manage",
  "network.manage",
  "task.read",
  "audit.read",
  // Listed like every other: grants and permissionsOf keep only what is listed here, so
  // without it no one held audit.manage (the retention setting answered 403 to admins).
  "audit.manage",
  "alert.read",
  "alert.manage",
  "backup.read",
  "backup.run",
  "backup.manage",
  "user.manage",
];

/** What a role holds, in PERMISSIONS order. */
export function permissionsOf(role: string): Permission[] {
  return isRole(role) ? PERMISSIONS.filter((p) => GRANTS[role].has(p)) : [];
}

export function roleCan(role: string, permission: Permission): boolean {
  return isRole(role) && GRANTS[role].has(permission);
}
