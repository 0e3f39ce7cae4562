"use client";
// Built-in role names are identifiers (the API, the CLI and the audit log use them), but the
// UI shows them in the reader's language; custom roles keep the name their admin gave them.
import { useTranslations } from "next-intl";
import { useCallback } from "react";

const BUILT_IN = ["admin", "operator", "viewer", "none"] as const;
type BuiltIn = (typeof BUILT_IN)[number];
const isBuiltIn = (r: string): r is BuiltIn => (BUILT_IN as readonly string[]).includes(r);

/** role → its display name: "operator" → "operador" in Spanish; a custom role's name as is. */
export function useRoleName(): (role: string) => string {
  const t = useTranslations("settings.roleNames");
  return useCallback((r: string) => (isBuiltIn(r) ? t(r) : r), [t]);
}
