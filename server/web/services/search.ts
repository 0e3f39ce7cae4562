// The command palette's one search verb (issue 16 point 3): fuzzy match by name, UUID or id,
// IP, MAC and tag across what the caller may see (the same visibility the list routes use),
// so a result is never something its row would hide. Addresses come from dnsmasq's leases
// (search/lease-cache.ts) for VMs and from the engine for containers.
import type { Services } from "../services";
import type { User } from "../db/client";
import type { SearchHit } from "../../protocol/search";
import { bestField } from "../search/fuzzy";
import { taskVisible, visibleContainers, visibleHostIds, visibleMachines } from "./visibility";

type Who = Pick<User, "id" | "role">;
/** How long a search waits for stale leases before answering without them. */
const LEASE_BUDGET_MS = 300;
const RECENT_TASKS = 300;

type Field = readonly [string, string | null | undefined];

export async function search(svc: Services, user: Who, q: string, limit: number): Promise<{ hits: SearchHit[] }> {
  const hits: SearchHit[] = [];
  const add = (h: Omit<SearchHit, "score" | "match">, fields: Field[]) => {
    const best = bestField(q, fields);
    if (!best) return;
    hits.push({ ...h, score: best.score, match: best.field === "name" ? null : { field: best.field, value: best.value } });
  };

  const machines = visibleMachines(svc, user);
  const addresses = await svc.leases.addresses(
    machines.map((m) => m.hostId),
    LEASE_BUDGET_MS,
  );
  for (const m of machines) {
    const macs = m.nics.map((n) => n.mac?.toLowerCase()).filter((x): x is string => !!x);
    add({ kind: "vm", id: m.uuid, hostId: m.hostId, title: m.name, hostName: m.hostName, state: m.state, tags: m.tags }, [
      ["name", m.name],
      ["uuid", m.uuid],
      ...m.tags.map((t): Field => ["tag", t]),
      ...macs.map((mac): Field => ["mac", mac]),
      ...macs.flatMap((mac) => (addresses.get(mac) ?? []).map((ip): Field => ["ip", ip])),
    ]);
  }
  for (const c of visibleContainers(svc, user))
    add(
      {
        kind: "container",
        id: c.id,
        hostId: c.hostId,
        title: c.name,
        hostName: c.hostName,
        state: c.state,
        tags: c.tags,
      },
      [["name", c.name], ["id", c.id], ["image", c.image], ...c.tags.map((t): Field => ["tag", t])],
    );
  const hosts = await svc.db.host.findMany({ select: { id: true, name: true } });
  const seen = visibleHostIds(
    svc,
    user,
    hosts.map((h) => h.id),
  );
  for (const h of hosts)
    if (seen.has(h.id))
      add(
        {
          kind: "host",
          id: h.id,
          hostId: h.id,
          title: h.name,
          hostName: null,
          state: svc.hub.isOnline(h.id) ? "online" : "offline",
          tags: [],
        },
        [["name", h.name]],
      );
  const tasks = await svc.db.task.findMany({ orderBy: { createdAt: "desc" }, take: RECENT_TASKS });
  for (const t of tasks)
    if (taskVisible(svc, user, t))
      add(
        {
          kind: "task",
          id: t.id,
          hostId: t.hostId,
          title: `${t.kind} ${t.targetName}`.trim(),
          hostName: null,
          state: t.status,
          tags: [],
        },
        [
          ["name", `${t.kind} ${t.targetName}`],
          ["id", t.id],
        ],
      );
  if (svc.access.can(user, "user.manage"))
    for (const u of await svc.db.user.findMany({ select: { id: true, username: true, role: true } }))
      add({ kind: "user", id: u.id, hostId: null, title: u.username, hostName: null, state: u.role, tags: [] }, [["name", u.username]]);

  hits.sort((a, b) => b.score - a.score || a.title.localeCompare(b.title));
  return { hits: hits.slice(0, limit) };
}
