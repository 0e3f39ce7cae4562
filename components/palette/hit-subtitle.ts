"use client";
// A palette result's second line ("host-1 · Running") in the reader's language. The server
// sends the parts (host name, state, role) and not a sentence, so a Spanish reader never sees
// English from the search route.
import { useTranslations } from "next-intl";
import type { SearchHit } from "@/server/protocol/search";
import { valueLabel, type ValueTranslator } from "../i18n/value-label";

export function useHitSubtitle(): (h: SearchHit) => string {
  const t = useTranslations("palette.subtitle");
  const tVm = useTranslations("machines.state");
  const tContainer = useTranslations("containers.state");
  const tTask = useTranslations("tasks.status");
  const tRole = useTranslations("settings.roleNames");
  const label = (tr: ValueTranslator, v: string | null) => (v === null ? "" : valueLabel(tr, v));
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
