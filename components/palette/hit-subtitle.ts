"use client";
// A palette result's second line ("host-1 · Running") in the reader's language. The server
// sends the parts (host name, state, role) and not a sentence, so a Spanish reader never sees
// English from the search route.
import { useTranslations } from "next-intl";
import { DOMAIN_STATES } from "@/server/protocol/domain";
import { CONTAINER_STATES } from "@/server/protocol/container";
import { TASK_STATUSES } from "@/server/protocol/browser-events";
import { isRole } from "@/server/protocol/roles";
import type { SearchHit } from "@/server/protocol/search";

const among = <T extends string>(list: readonly T[], v: string | null): v is T => v !== null && (list as readonly string[]).includes(v);

export function useHitSubtitle(): (h: SearchHit) => string {
  const t = useTranslations("palette.subtitle");
  const tVm = useTranslations("machines.state");
  const tContainer = useTranslations("containers.state");
  const tTask = useTranslations("tasks.status");
  const tRole = useTranslations("settings.roleNames");
  return (h) => {
    const where = (state: string) => (h.hostName ? t("where", { host: h.hostName, state }) : state);
    switch (h.kind) {
      case "vm":
        return where(among(DOMAIN_STATES, h.state) ? tVm(h.state) : (h.state ?? ""));
      case "container":
        return where(among(CONTAINER_STATES, h.state) ? tContainer(h.state) : (h.state ?? ""));
      case "host":
        return h.state === "online" ? t("online") : t("offline");
      case "task":
        return among(TASK_STATUSES, h.state) ? tTask(h.state) : (h.state ?? "");
      case "user":
        return h.state && isRole(h.state) ? tRole(h.state) : (h.state ?? "");
    }
  };
}
