"use client";
import dynamic from "next/dynamic";
import { useTranslations } from "next-intl";
import { useMachine } from "../lib/resources";
import { useLiveEvents } from "../lib/live-events";

const VncConsole = dynamic(() => import("./vnc-console").then((m) => m.VncConsole), { ssr: false });

/** The pop-out console: the whole page for the screen. */
export function ConsolePage({ hostId, uuid }: { hostId: string; uuid: string }) {
  const { data } = useMachine(hostId, uuid);
  const tc = useTranslations("common");
  // Outside the app shell, this page keeps its own event socket (state, viewers).
  useLiveEvents();
  if (!data) return <p className="text-sm text-slate-500">{tc("loading")}</p>;
  const m = data.machine;
  return (
    <VncConsole
      popout
      hostId={hostId}
      uuid={uuid}
      machineName={m.name}
      running={!m.stale && (m.state === "running" || m.state === "paused")}
      hasGraphics={m.graphics.some((g) => g.type === "vnc")}
    />
  );
}
