// What a route needs. Routes name a permission and, where it applies, the object it acts on;
// today every user is an admin, and team roles scoped to hosts and VMs plug in here later
// without touching routes.
import type { User } from "../db/client";

export type Permission =
  | "session.manage"
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

export function authorize(user: User, _permission: Permission, _resource?: Resource): boolean {
  return user.role === "admin";
}
