// A protocol value (a libvirt state, a task status, a role) as its catalogue names it, or the
// value as it came when the catalogue does not know it (a newer agent's state). Looked up with
// the translator's has() rather than the protocol's lists of values: those modules carry zod,
// which pages must not load for a label (its compiled checks are an eval the CSP refuses).
export interface ValueTranslator {
  has: (key: never) => boolean;
  (key: never): string;
}

export function valueLabel(t: ValueTranslator, value: string): string {
  return t.has(value as never) ? t(value as never) : value;
}
