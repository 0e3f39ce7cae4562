// Group ⇄ OIDC claim mapping: which Hangar groups a provider's groups claim makes a user a
// member of. Group.oidcClaim holds the claim value; HANGAR_OIDC_GROUP_MAP sets it at start
// so a deployment (and the tests) needs no admin UI for it.
import type { Db } from "../db/client";

/**
 * Creates each mapped group if missing and gives it its claim value; a claim value held by
 * another group moves (one group per value). Idempotent: the same map twice changes nothing.
 */
export async function applyGroupMap(db: Db, map: ReadonlyMap<string, string>): Promise<void> {
  for (const [claim, name] of map) {
    await db.$transaction(async (tx) => {
      const moved = await tx.group.updateMany({ where: { oidcClaim: claim, NOT: { name } }, data: { oidcClaim: null } });
      if (moved.count) console.log(`[oidc] claim value "${claim}" moved to group "${name}" (HANGAR_OIDC_GROUP_MAP)`);
      await tx.group.upsert({
        where: { name },
        create: { name, oidcClaim: claim, description: "Mapped from the OIDC groups claim (HANGAR_OIDC_GROUP_MAP)" },
        update: { oidcClaim: claim },
      });
    });
  }
}

/**
 * Makes the user's OIDC memberships exactly the groups whose claim value is in `claimValues`:
 * adds the missing ones (source "oidc"), removes "oidc" ones no longer claimed, and leaves
 * memberships an admin added ("manual") alone. Returns the groups and whether anything changed
 * (then the caller reloads the access snapshot).
 */
export async function syncOidcGroups(db: Db, userId: string, claimValues: string[]): Promise<{ changed: boolean; groups: string[] }> {
  const mapped = claimValues.length ? await db.group.findMany({ where: { oidcClaim: { in: claimValues } }, select: { id: true, name: true } }) : [];
  const wanted = new Set(mapped.map((g) => g.id));
  return db.$transaction(async (tx) => {
    const current = await tx.groupMember.findMany({ where: { userId } });
    const have = new Set(current.map((m) => m.groupId));
    const add = mapped.filter((g) => !have.has(g.id));
    const drop = current.filter((m) => m.source === "oidc" && !wanted.has(m.groupId)).map((m) => m.groupId);
    if (add.length) await tx.groupMember.createMany({ data: add.map((g) => ({ groupId: g.id, userId, source: "oidc" })) });
    if (drop.length) await tx.groupMember.deleteMany({ where: { userId, source: "oidc", groupId: { in: drop } } });
    return { changed: add.length + drop.length > 0, groups: mapped.map((g) => g.name) };
  });
}
