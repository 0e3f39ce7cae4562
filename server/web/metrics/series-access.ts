// What reading a metric series needs: series names encode their host, VM or container
// (server/protocol/metrics.ts), so the check is the same as for the object itself.
import { parseSeries } from "../../protocol/metrics";
import type { Resource } from "../../protocol/access";
import type { Permission } from "../../protocol/roles";
import type { AccessService } from "../auth/access";

export function seriesAccess(series: string): { permission: Permission; resource: Resource } | null {
  const ref = parseSeries(series);
  if (!ref) return null;
  if (ref.kind === "host") return { permission: "host.read", resource: { type: "host", id: ref.hostId } };
  const id = ref.target.slice(ref.target.indexOf(":") + 1);
  return ref.kind === "vm"
    ? { permission: "vm.read", resource: { type: "vm", id, hostId: ref.hostId } }
    : { permission: "container.read", resource: { type: "container", id, hostId: ref.hostId } };
}

/**
 * May `user` read `series`? A name that is no series is not refused here: the metrics
 * service answers it as unknown. Checked before existence, so a series of a VM the user
 * may not see is refused alike whether that VM exists or not.
 */
export function maySeeSeries(access: Pick<AccessService, "can">, user: { id: string; role: string }, series: string): boolean {
  const a = seriesAccess(series);
  return !a || access.can(user, a.permission, a.resource);
}
