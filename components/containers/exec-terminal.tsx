"use client";
// An in-browser shell in a running container: xterm.js over the console path with a
// one-time ticket; the terminal's size follows the panel and is sent as a resize message.
import { useTranslations } from "next-intl";
import { useCallback, useEffect, useRef } from "react";
import { useConsoleSocket } from "../console/use-console-socket";
import { useXterm } from "../console/use-xterm";
import { Button } from "../ui/form";

export function ExecTerminal({ hostId, id, running }: { hostId: string; id: string; running: boolean }) {
  const host = useRef<HTMLDivElement>(null);
  const socket = useRef<WebSocket | null>(null);
  const size = useRef({ cols: 100, rows: 30 });
  const t = useTranslations("containers");

  const sendSize = () => {
    const ws = socket.current;
    if (ws?.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: "resize", ...size.current }));
  };

  const term = useXterm(host, socket, (cols, rows) => {
    size.current = { cols, rows };
    sendSize();
  });

  const onSocket = useCallback(
    (ws: WebSocket) => {
      socket.current = ws;
      ws.addEventListener("message", (e) => term.current?.write(new Uint8Array(e.data as ArrayBuffer)));
      sendSize();
      term.current?.focus();
    },
    [term],
  );
  // A shell that exits closes the socket: it is not reopened on its own.
  const conn = useConsoleSocket({
    hostId,
    uuid: id,
    kind: "exec",
    enabled: false,
    onSocket,
    ticketUrl: `/api/containers/${encodeURIComponent(hostId)}/${encodeURIComponent(id)}/console`,
    extra: () => size.current,
  });

  // Opens one shell when the tab is shown; "exit" in it ends the session for good.
  const opened = useRef(false);
  useEffect(() => {
    if (running && !opened.current) {
      opened.current = true;
      // After xterm has loaded, so the ticket carries the real size.
      setTimeout(() => conn.reconnect(), 150);
    }
  }, [running, conn]);

  if (!running) return <p className="text-sm text-slate-500">{t("exec.startFirst")}</p>;
  return (
    <div className="flex flex-col gap-2" data-testid="exec-terminal" data-state={conn.state}>
      <div className="flex items-center gap-3 text-sm">
        <span>
          {conn.state === "connected"
            ? t("exec.connected")
            : conn.state === "connecting"
              ? t("exec.connecting")
              : conn.reason
                ? t("exec.closed", { reason: conn.reason })
                : t("exec.notConnected")}
        </span>
        <Button variant="secondary" onClick={() => conn.reconnect()} disabled={conn.state === "connecting" || conn.state === "connected"}>
          {conn.state === "disconnected" ? t("exec.openNew") : t("exec.open")}
        </Button>
      </div>
      <div ref={host} data-testid="exec-screen" className="h-[28rem] w-full overflow-hidden rounded bg-slate-900 p-1" />
    </div>
  );
}
