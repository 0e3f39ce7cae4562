// What a route needs. Routes name a permission and, where it applies, the object it acts
// on; roles map to permission sets in server/protocol/roles.ts. Scoping roles to hosts or
// VMs plugs in through `resource` without touching routes.
import type { User } from "../db/client";
import { roleCan, type Permission } from "../../protocol/roles";

export { ROLES, isRole, type Permission, type Role } from "../../protocol/roles";

export interface Resource {
  type: "host" | "vm" | "container" | "task";
  id: string;
  hostId?: string;
}

export function authorize(user: Pick<User, "role">, permission: Permission, _resource?: Resource): boolean {
  return roleCan(user.role, permission);
}
