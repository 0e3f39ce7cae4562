// What a route needs. Routes name a permission and, where it applies, the object it acts
// on; roles map to permission sets in server/protocol/roles.ts, and assignments scope them
// to hosts, VMs and tags (./access.ts). Every check, REST or socket, goes through here.
import type { User } from "../db/client";
import type { Permission } from "../../protocol/roles";
import type { Resource } from "../../protocol/access";
import type { AccessService } from "./access";

export { ROLES, isRole, type Permission, type Role } from "../../protocol/roles";
export type { Resource } from "../../protocol/access";

/** May `user` do `permission` on `resource`? Without a resource, only a fleet-wide grant counts. */
export function authorize(access: AccessService, user: Pick<User, "id" | "role">, permission: Permission, resource?: Resource): boolean {
  return access.can(user, permission, resource);
}
