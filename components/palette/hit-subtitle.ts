"use client";
// A palette result's second line ("host-1 · Running") in the reader's language. The server
// sends the parts (host name, state, role) and not a sentence, so a Spanish reader never sees
// English from the search route. Values are looked up in the catalogues with has(), not in
// the protocol's lists: those modules carry zod, which the shell (on every page) must not
// load (its compiled checks are an eval the page's CSP refuses).
import { useTranslations } from "next-intl";
import type { SearchHit } from "@/server/protocol/search";

export function useHitSubtitle(): (h: SearchHit) => string {
  const t = useTranslations("palette.subtitle");
  const tVm = useTranslations("machines.state");
  const tContainer = useTranslations("containers.state");
  const tTask = useTranslations("tasks.status");
  const tRole = useTranslations("settings.roleNames");
  // A value the catalogue does not know (a newer agent's state) is shown as it came.
  const label = (tr: { has: (k: never) => boolean; (k: never): string }, v: string | null) =>
    v === null ? "" : tr.has(v as never) ? tr(v as never) : v;
  return (h) => {
    const where = (state: string) => (h.hostName ? t("where", { host: h.hostName, state }) : state);
    switch (h.kind) {
      case "vm":
        return where(label(tVm, h.state));
      case "container":
        return where(label(tContainer, h.state));
      case "host":
        return h.state === "online" ? t("online") : t("offline");
      case "task":
        return label(tTask, h.state);
      case "user":
        return label(tRole, h.state);
    }
  };
}
