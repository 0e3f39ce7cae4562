// Server-side filter, sort and paging of the fleet's machines, so a table of thousands of
// rows sends only what is on screen. Names sort naturally (vm-2 before vm-10).
import { z } from "zod";
import { DomainState, MachineListRow, type MachineRow } from "../../protocol";
import { TagName } from "../../protocol/access";

export const MachineQuery = z.strictObject({
  q: z.string().max(200).optional(),
  state: z.union([DomainState, z.literal("stopped")]).optional(),
  host: z.string().max(64).optional(),
  /** Only machines carrying this tag. */
  tag: TagName.optional(),
  sort: z.enum(["name", "state", "host", "vcpus", "memory"]).default("name"),
  dir: z.enum(["asc", "desc"]).default("asc"),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  limit: z.coerce.number().int().min(1).max(5000).default(5000),
  /** "table": the machines table's projection (MachineListRow); "full": every field. */
  view: z.enum(["full", "table"]).default("full"),
});
export type MachineQuery = z.infer<typeof MachineQuery>;

const collator = new Intl.Collator("en", { numeric: true, sensitivity: "base" });

const LIST_FIELDS = Object.keys(MachineListRow.shape) as (keyof MachineListRow)[];

/** The table's fields of a row, nothing else (no device arrays). */
export function toListRow(m: MachineRow): MachineListRow {
  const out: Record<string, unknown> = {};
  for (const k of LIST_FIELDS) out[k] = m[k];
  return out as MachineListRow;
}

export function queryMachines(rows: MachineRow[], q: MachineQuery): { rows: MachineRow[] | MachineListRow[]; total: number } {
  const needle = q.q?.trim().toLowerCase();
  let out = rows.filter((r) => {
    if (q.host && r.hostId !== q.host) return false;
    if (q.tag && !r.tags.includes(q.tag)) return false;
    if (q.state === "stopped" ? !["shutoff", "shutdown", "crashed"].includes(r.state) : q.state && r.state !== q.state) return false;
    if (
      needle &&
      !(
        r.name.toLowerCase().includes(needle) ||
        r.uuid.includes(needle) ||
        r.hostName.toLowerCase().includes(needle) ||
        r.nics.some((n) => n.mac?.includes(needle))
      )
    )
      return false;
    return true;
  });
  const key: Record<MachineQuery["sort"], (a: MachineRow, b: MachineRow) => number> = {
    name: (a, b) => collator.compare(a.name, b.name),
    state: (a, b) => a.state.localeCompare(b.state) || collator.compare(a.name, b.name),
    host: (a, b) => collator.compare(a.hostName, b.hostName) || collator.compare(a.name, b.name),
    vcpus: (a, b) => a.vcpus - b.vcpus || collator.compare(a.name, b.name),
    memory: (a, b) => a.memoryKiB - b.memoryKiB || collator.compare(a.name, b.name),
  };
  out = out.sort(key[q.sort]);
  if (q.dir === "desc") out.reverse();
  const page = out.slice(q.offset, q.offset + q.limit);
  return { rows: q.view === "table" ? page.map(toListRow) : page, total: out.length };
}
