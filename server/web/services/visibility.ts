// What a caller may see of the fleet (issue 14): the rows every list route and the
// dashboard keep. One check per row through the access service (in memory, grant sets
// cached per user), skipped when the permission is held fleet-wide.
import type { ContainerRow, MachineRow } from "../../protocol";
import type { Services } from "../services";
import type { User } from "../db/client";
import type { Permission } from "../../protocol/roles";
import { taskResource } from "../../protocol/access";

type Who = Pick<User, "id" | "role">;

export function visibleMachines(svc: Services, user: Who): MachineRow[] {
  const rows = svc.hub.machines();
  if (svc.access.can(user, "vm.read")) return rows;
  return rows.filter((m) => svc.access.can(user, "vm.read", { type: "vm", id: m.uuid, hostId: m.hostId }));
}

export function visibleContainers(svc: Services, user: Who): ContainerRow[] {
  const rows = svc.hub.containers();
  if (svc.access.can(user, "container.read")) return rows;
  return rows.filter((c) => svc.access.can(user, "container.read", { type: "container", id: c.id, hostId: c.hostId }));
}

/**
 * Hosts the caller may see: host.read on the host, or vm.read or container.read on
 * something on it (a team scoped to a tag sees the hosts its VMs run on, not the others).
 */
export function visibleHostIds(svc: Services, user: Who, hostIds: readonly string[]): Set<string> {
  if (svc.access.can(user, "host.read")) return new Set(hostIds);
  const out = new Set(hostIds.filter((id) => svc.access.can(user, "host.read", { type: "host", id })));
  for (const m of visibleMachines(svc, user)) out.add(m.hostId);
  for (const c of visibleContainers(svc, user)) out.add(c.hostId);
  return out;
}

/** A task the caller may see: task.read on what it acts on, or their own. */
export function taskVisible(
  svc: Services,
  user: Who,
  t: { targetType: string; targetId: string; hostId: string | null; userId: string | null },
): boolean {
  return t.userId === user.id || svc.access.can(user, "task.read", taskResource(t));
}

/** The permission and object a metric series is read with (host, VM or container). */
export function seriesAllowed(svc: Services, user: Who, ref: { kind: "host" | "vm" | "ct"; hostId: string; target: string }): boolean {
  const id = ref.target.slice(3);
  const [p, r]: [Permission, Parameters<Services["access"]["can"]>[2]] =
    ref.kind === "host"
      ? ["host.read", { type: "host", id: ref.hostId }]
      : ref.kind === "vm"
        ? ["vm.read", { type: "vm", id, hostId: ref.hostId }]
        : ["container.read", { type: "container", id, hostId: ref.hostId }];
  return svc.access.can(user, p, r);
}
