// Zod's issues as a map of field → message, for 422 answers and error frames. Every object
// in the protocol is strict (z.strictObject): a field we do not know is refused, never
// silently dropped, so a caller who believes `isRoot` or `evil` meant something learns
// that it did not. Zod reports unknown keys as one issue at the parent's path listing the
// keys; each becomes its own entry here, so the answer names the very field refused.
import type { z } from "zod";

export const UNKNOWN_FIELD = "unknown field";

export function issueFields(error: z.ZodError, root: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const at = issue.path.map(String);
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) fields[[...at, key].join(".")] ??= UNKNOWN_FIELD;
      continue;
    }
    fields[at.length ? at.join(".") : root] ??= issue.message;
  }
  return fields;
}

/** "isRoot: unknown field; name: Too small…", for messages and logs. */
export function describeFields(fields: Record<string, string>): string {
  return Object.entries(fields)
    .map(([k, m]) => `${k}: ${m}`)
    .join("; ");
}
