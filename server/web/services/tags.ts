// Tags on VMs and containers (issue 14): Hangar's own labels, the unit teams are usually
// scoped by. A PUT replaces the whole set; the access snapshot is reloaded before the
// answer (a grant on a tag covers the VM from the next request on) and the row is
// re-published with its new tags.
import { z } from "zod";
import type { Services } from "../services";
import type { User } from "../db/client";
import { audit } from "../audit";
import { ApiError } from "../http/errors";
import { TagName } from "../../protocol/access";
import { reloadAccess } from "./access-rules";
import type { Caller } from "./caller";

export const TagsBody = z.strictObject({
  tags: z
    .array(TagName)
    .max(32, "at most 32 tags")
    .transform((l) => [...new Set(l)].sort()),
});

type Target = { type: "vm" | "container"; hostId: string; id: string };

/** Replaces the tags of a VM or container the hub knows; answers the row with its new tags. */
export async function setTags(svc: Services, caller: Caller, t: Target, tags: string[]) {
  const row = t.type === "vm" ? svc.hub.machine(t.hostId, t.id) : svc.hub.container(t.hostId, t.id);
  if (!row)
    throw new ApiError(
      "not_found",
      `No ${t.type === "vm" ? "machine" : "container"} ${t.id} on host ${t.hostId}`,
      t.type === "vm" ? { uuid: "unknown machine" } : { id: "unknown container" },
    );
  // Containers are addressed by id prefix or name too: tags are kept on the full id.
  const targetId = "uuid" in row ? row.uuid : row.id;
  const key = { targetType: t.type, hostId: t.hostId, targetId };
  const before = (await svc.db.resourceTag.findMany({ where: key, select: { tag: true }, orderBy: { tag: "asc" } })).map((r) => r.tag);
  await svc.db.$transaction([
    svc.db.resourceTag.deleteMany({ where: { ...key, tag: { notIn: tags } } }),
    ...tags.filter((tag) => !before.includes(tag)).map((tag) => svc.db.resourceTag.create({ data: { ...key, tag } })),
  ]);
  await reloadAccess(svc);
  await audit(svc.db, {
    actor: caller.user.username,
    userId: caller.user.id,
    action: `${t.type}.tags`,
    target: `${row.name} (${targetId})`,
    outcome: "success",
    ip: caller.ip,
    details: { before, after: tags },
  });
  svc.hub.republish(t.type, t.hostId, targetId);
  return { tags };
}

/**
 * The tags in use with how many VMs and containers carry them (pickers and filters). An
 * admin of rights (user.manage) sees every tag; anyone else only those on what they may see.
 */
export function listTags(svc: Services, user: User) {
  const counts = new Map<string, number>();
  const all = svc.access.can(user, "user.manage");
  for (const [key, tags] of svc.access.snapshot.tags) {
    const [type, hostId, ...rest] = key.split(":");
    const r = { type: type === "container" ? "container" : "vm", hostId, id: rest.join(":") } as const;
    if (!all && !svc.access.can(user, r.type === "vm" ? "vm.read" : "container.read", r)) continue;
    for (const t of tags) counts.set(t, (counts.get(t) ?? 0) + 1);
  }
  return { tags: [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([name, count]) => ({ name, count })) };
}
