// Fuzzy matching for the command palette: every character of the query must appear in the
// text in order (case-insensitive). The score rewards what people mean when they type a
// fragment: an exact match, a prefix, a match at word starts ("w3" → "web-3"), and runs
// of adjacent characters; long gaps cost a little. Null: no match.
const BOUNDARY = /[\s\-_.:/@]/;

export function fuzzyScore(query: string, text: string): number | null {
  const q = query.toLowerCase();
  const t = text.toLowerCase();
  if (!q) return 0;
  if (t === q) return 1000;
  if (t.startsWith(q)) return 800 - Math.min(t.length - q.length, 100);
  const at = t.indexOf(q);
  if (at >= 0) return (at === 0 || BOUNDARY.test(t[at - 1]!) ? 600 : 500) - Math.min(at, 100);
  let score = 0;
  let ti = 0;
  let prev = -2;
  for (const ch of q) {
    const found = t.indexOf(ch, ti);
    if (found < 0) return null;
    const wordStart = found === 0 || BOUNDARY.test(t[found - 1]!);
    score += found === prev + 1 ? 15 : wordStart ? 12 : 1;
    score -= Math.min(found - ti, 10) * 0.5;
    prev = found;
    ti = found + 1;
  }
  return Math.max(1, 100 + score);
}

/** The best score of `query` over a row's fields, with the field that matched. */
export function bestField(
  query: string,
  fields: readonly (readonly [label: string, value: string | null | undefined])[],
): { score: number; field: string; value: string } | null {
  let best: { score: number; field: string; value: string } | null = null;
  for (const [label, value] of fields) {
    if (!value) continue;
    const s = fuzzyScore(query, value);
    // The name wins a tie: "web" matching a VM named web and a tag "web" shows as the name.
    if (s !== null && (!best || s > best.score)) best = { score: s, field: label, value };
  }
  return best;
}
