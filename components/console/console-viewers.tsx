"use client";
// Who else is watching this machine's console (pushed as console.viewers events).
import { useTranslations } from "next-intl";
import { useEffect, useState } from "react";
import { useFormat } from "../i18n/format";
import type { BrowserEvent } from "@/server/protocol/browser-events";
import type { ConsoleViewer } from "@/server/protocol/console";

export function ConsoleViewers({ hostId, uuid }: { hostId: string; uuid: string }) {
  const [viewers, setViewers] = useState<ConsoleViewer[]>([]);
  const t = useTranslations("console.viewers");
  const f = useFormat();
  useEffect(() => {
    const on = (e: Event) => {
      const ev = (e as CustomEvent<BrowserEvent>).detail;
      if (ev.type === "console.viewers" && ev.hostId === hostId && ev.uuid === uuid) setViewers(ev.viewers);
    };
    window.addEventListener("hangar:event", on);
    return () => window.removeEventListener("hangar:event", on);
  }, [hostId, uuid]);
  if (viewers.length < 2) return null;
  return (
    <span
      data-testid="console-viewers"
      className="ml-auto text-xs text-amber-700 dark:text-amber-400"
      title={viewers.map((v) => t("since", { user: v.user, kind: v.kind, time: f.date(v.since, "time") })).join("\n")}
    >
      {t("list", { count: viewers.length, users: [...new Set(viewers.map((v) => v.user))].join(", ") })}
    </span>
  );
}
