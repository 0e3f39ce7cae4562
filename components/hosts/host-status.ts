"use client";
// "online" / "waiting for agent" / "offline, last seen 5 min ago" in the reader's language.
import { useTranslations } from "next-intl";
import type { HostRow } from "@/server/protocol/browser-events";
import { useFormat } from "../i18n/format";

export function useHostStatusText(): (h: Pick<HostRow, "status" | "lastSeenAt">) => string {
  const t = useTranslations("hosts.status");
  const tc = useTranslations("common");
  const f = useFormat();
  return (h) => {
    if (h.status === "online") return t("online");
    if (h.status === "pending") return t("pending");
    return t("offline", { ago: h.lastSeenAt ? f.ago(h.lastSeenAt) : tc("never") });
  };
}

/** A host's memory as the hosts pages have always printed it ("23.4 GiB", "512 MiB"), in the reader's number format. */
export function memoryText(bytes: number, f: ReturnType<typeof useFormat>): string {
  return bytes >= 1024 ** 3 ? `${f.number(bytes / 1024 ** 3, 1)} GiB` : `${f.number(Math.round(bytes / 1024 ** 2))} MiB`;
}
