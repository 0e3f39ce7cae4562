"use client";
// Splits a failed storage change into field errors (from zod or the agent's named refusal)
// and one general message.
import { useState } from "react";
import { ApiClientError } from "../lib/api";

export function useFormErrors() {
  const [fields, setFields] = useState<Record<string, string>>({});
  const [general, setGeneral] = useState<string | null>(null);
  return {
    fields,
    general,
    reset() {
      setFields({});
      setGeneral(null);
    },
    /** Field errors for `known` fields; the rest (or a field-less error) as the general message. */
    fail(err: unknown, known: string[]) {
      const f = err instanceof ApiClientError ? err.fields : {};
      const mine = Object.fromEntries(
        Object.entries(f)
          .map(([k, v]) => [k.replace(/^body\./, ""), v] as const)
          .filter(([k]) => known.includes(k)),
      );
      setFields(mine);
      setGeneral(Object.keys(mine).length ? null : err instanceof Error ? err.message : String(err));
    },
    setLocal(f: Record<string, string>) {
      setFields(f);
      setGeneral(null);
    },
  };
}
