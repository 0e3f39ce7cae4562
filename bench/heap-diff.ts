// Compares two V8 heap snapshots (bench/soak.ts with SOAK_SNAPSHOT_DIR) by what holds the
// memory: self size and count per node type and constructor name, largest growth first.
// It answers "what grew", which a live-heap total cannot. Strings are grouped by their
// first characters, so a growing cache of similar keys shows up as one line.
// Run: npx tsx bench/heap-diff.ts start.heapsnapshot end.heapsnapshot [lines]
import fs from "node:fs";

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: (string | string[])[] } };
  nodes: number[];
  strings: string[];
}

function summarise(file: string): Map<string, { count: number; size: number }> {
  const s = JSON.parse(fs.readFileSync(file, "utf8")) as Snapshot;
  const f = s.snapshot.meta.node_fields;
  const width = f.length;
  const [iType, iName, iSize] = [f.indexOf("type"), f.indexOf("name"), f.indexOf("self_size")];
  const types = s.snapshot.meta.node_types[iType] as string[];
  const out = new Map<string, { count: number; size: number }>();
  for (let i = 0; i < s.nodes.length; i += width) {
    const type = types[s.nodes[i + iType]!]!;
    const name = s.strings[s.nodes[i + iName]!] ?? "";
    const key =
      type === "string" || type === "concatenated string" || type === "sliced string" ? `${type} "${name.slice(0, 40)}"` : `${type} ${name}`;
    const e = out.get(key) ?? { count: 0, size: 0 };
    e.count++;
    e.size += s.nodes[i + iSize]!;
    out.set(key, e);
  }
  return out;
}

const [a, b, lines = "40"] = process.argv.slice(2);
if (!a || !b) throw new Error("usage: heap-diff.ts start.heapsnapshot end.heapsnapshot [lines]");
const start = summarise(a);
const end = summarise(b);
const rows = [...new Set([...start.keys(), ...end.keys()])].map((k) => {
  const x = start.get(k) ?? { count: 0, size: 0 };
  const y = end.get(k) ?? { count: 0, size: 0 };
  return { k, dSize: y.size - x.size, dCount: y.count - x.count, size: y.size };
});
rows.sort((p, q) => q.dSize - p.dSize);
const total = (m: Map<string, { size: number }>) => [...m.values()].reduce((t, e) => t + e.size, 0);
console.log(`self size: ${(total(start) / 1048576).toFixed(1)} MiB → ${(total(end) / 1048576).toFixed(1)} MiB`);
for (const r of rows.slice(0, Number(lines)))
  console.log(`${(r.dSize / 1024).toFixed(0).padStart(8)} KiB ${String(r.dCount).padStart(8)} objs  ${r.k.slice(0, 100)}`);
