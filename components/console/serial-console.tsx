"use client";
// The serial console: xterm.js on a websocket relayed to the VM's serial port (one libvirt
// console session per VM, shared by all viewers). xterm is loaded only here, on first use.
import { useTranslations } from "next-intl";
import { useCallback, useRef, useState } from "react";
import { Button } from "../ui/form";
import { useConsoleSocket } from "./use-console-socket";
import { useXterm } from "./use-xterm";

const CHUNK = 1024;

export function SerialConsole({ hostId, uuid, running, hasSerial }: { hostId: string; uuid: string; running: boolean; hasSerial: boolean }) {
  const host = useRef<HTMLDivElement>(null);
  const socket = useRef<WebSocket | null>(null);
  const [paste, setPaste] = useState("");
  const t = useTranslations("console");

  const term = useXterm(host, socket);

  const onSocket = useCallback(
    (ws: WebSocket) => {
      socket.current = ws;
      ws.addEventListener("message", (e) => term.current?.write(new Uint8Array(e.data as ArrayBuffer)));
      term.current?.focus();
    },
    [term],
  );
  const conn = useConsoleSocket({ hostId, uuid, kind: "serial", enabled: running && hasSerial, onSocket });

  // Long pastes go in 1 KiB chunks, each after the socket drained, so they arrive whole.
  const sendPaste = async () => {
    const ws = socket.current;
    if (!ws) return;
    const bytes = new TextEncoder().encode(paste.replace(/\r?\n/g, "\r"));
    for (let i = 0; i < bytes.length; i += CHUNK) {
      while (ws.bufferedAmount > 64 * 1024) await new Promise((r) => setTimeout(r, 10));
      ws.send(bytes.subarray(i, i + CHUNK));
    }
    setPaste("");
  };

  const copyAll = () => {
    const t = term.current;
    if (!t) return;
    const lines: string[] = [];
    for (let i = 0; i < t.buffer.active.length; i++) lines.push(t.buffer.active.getLine(i)?.translateToString(true) ?? "");
    void navigator.clipboard?.writeText(lines.join("\n").trimEnd());
  };

  if (!hasSerial) return <p className="rounded border border-dashed p-6 text-sm text-slate-500">{t("noSerial")}</p>;
  if (!running) return <p className="rounded border border-dashed p-6 text-sm text-slate-500">{t("off")}</p>;
  return (
    <div data-testid="serial-console" data-state={conn.state} className="flex flex-col gap-2">
      <div role="toolbar" aria-label={t("serialControls")} className="flex flex-wrap items-center gap-2 text-sm">
        <span role="status" className={conn.state === "connected" ? "text-green-700 dark:text-green-400" : "text-slate-500"}>
          {conn.state === "connected"
            ? t("connected")
            : conn.state === "connecting"
              ? t("connecting")
              : conn.reason
                ? t("disconnectedBecause", { reason: conn.reason })
                : t("disconnected")}
        </span>
        {conn.state === "disconnected" && (
          <Button variant="secondary" onClick={() => conn.reconnect(conn.takenOver)}>
            {conn.takenOver ? t("takeOver") : t("reconnect")}
          </Button>
        )}
        <Button variant="secondary" onClick={copyAll}>
          {t("copyAll")}
        </Button>
      </div>
      <div
        ref={host}
        data-testid="serial-screen"
        className="h-[60vh] w-full overflow-hidden rounded bg-slate-900 p-1"
        onClick={() => term.current?.focus()}
      />
      <div className="flex items-start gap-2">
        <textarea
          aria-label={t("serialPasteLabel")}
          value={paste}
          onChange={(e) => setPaste(e.target.value)}
          rows={2}
          className="w-full max-w-xl rounded border border-slate-300 p-2 font-mono text-sm dark:border-slate-700 dark:bg-slate-900"
        />
        <Button variant="secondary" onClick={() => void sendPaste()} disabled={!paste || conn.state !== "connected"}>
          {t("paste")}
        </Button>
      </div>
    </div>
  );
}
