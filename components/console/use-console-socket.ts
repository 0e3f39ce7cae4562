"use client";
// Opens a console websocket with a fresh one-time ticket, and reconnects after unexpected
// closes (VM reboot, agent restart, network) with backoff. A take-over by another viewer
// (close code 4001) is not retried automatically.
import { useTranslations } from "next-intl";
import { useCallback, useEffect, useRef, useState } from "react";
import { api, ApiClientError } from "../lib/api";

export type ConsoleState = "idle" | "connecting" | "connected" | "disconnected";

interface Ticket {
  ticket: string;
  path: string;
  protocols: string[];
}

export interface ConsoleSocketOptions {
  hostId: string;
  uuid: string;
  kind: "vnc" | "serial" | "exec" | "logs";
  enabled: boolean;
  onSocket: (ws: WebSocket) => void;
  onClosed?: () => void;
  /** Where to ask for the ticket (containers); defaults to the machine's console route. */
  ticketUrl?: string;
  /** Extra ticket fields (e.g. the terminal's size). */
  extra?: () => Record<string, unknown>;
}

export function useConsoleSocket(opts: ConsoleSocketOptions) {
  const [state, setState] = useState<ConsoleState>("idle");
  const [reason, setReason] = useState<string | null>(null);
  const [takenOver, setTakenOver] = useState(false);
  const wsRef = useRef<WebSocket | null>(null);
  const retry = useRef<ReturnType<typeof setTimeout> | null>(null);
  const attempt = useRef(0);
  const stopped = useRef(false);
  const latest = useRef(opts);
  latest.current = opts;
  // The close reasons it writes itself, in the page's language (connect() outlives renders).
  const t = useTranslations("console.socket");
  const tr = useRef(t);
  tr.current = t;

  const connect = useCallback(async (takeover = false) => {
    const o = latest.current;
    if (retry.current) clearTimeout(retry.current);
    wsRef.current?.close();
    setState("connecting");
    setTakenOver(false);
    let t: Ticket;
    try {
      const url = o.ticketUrl ?? `/api/machines/${encodeURIComponent(o.hostId)}/${encodeURIComponent(o.uuid)}/console`;
      t = await api<Ticket>(url, { method: "POST", body: o.ticketUrl ? { kind: o.kind, ...o.extra?.() } : { kind: o.kind, takeover } });
    } catch (err) {
      setState("disconnected");
      setReason(err instanceof ApiClientError ? err.message : tr.current("ticketFailed"));
      return;
    }
    const proto = window.location.protocol === "https:" ? "wss:" : "ws:";
    // The ticket travels as a subprotocol, never in the URL (kept out of logs and history).
    const ws = new WebSocket(`${proto}//${window.location.host}${t.path}`, t.protocols);
    ws.binaryType = "arraybuffer";
    wsRef.current = ws;
    ws.addEventListener("open", () => {
      attempt.current = 0;
      setState("connected");
      setReason(null);
      latest.current.onSocket(ws);
    });
    ws.addEventListener("close", (ev) => {
      if (wsRef.current !== ws) return;
      latest.current.onClosed?.();
      setState("disconnected");
      if (ev.code === 4001) {
        setTakenOver(true);
        setReason(ev.reason || tr.current("takenOver"));
        return;
      }
      setReason(ev.reason || (ev.code === 1006 ? tr.current("lost") : tr.current("closed", { code: ev.code })));
      if (stopped.current || !latest.current.enabled) return;
      const delay = Math.min(10_000, 2000 * 2 ** attempt.current++);
      retry.current = setTimeout(() => void connect(), delay);
    });
  }, []);

  useEffect(() => {
    stopped.current = false;
    if (opts.enabled) void connect();
    const onVisible = () => {
      const ws = wsRef.current;
      if (document.visibilityState === "visible" && latest.current.enabled && (!ws || ws.readyState === WebSocket.CLOSED) && !stopped.current)
        void connect();
    };
    document.addEventListener("visibilitychange", onVisible);
    return () => {
      stopped.current = true;
      document.removeEventListener("visibilitychange", onVisible);
      if (retry.current) clearTimeout(retry.current);
      const ws = wsRef.current;
      wsRef.current = null;
      ws?.close();
    };
  }, [opts.enabled, opts.hostId, opts.uuid, connect]);

  return { state, reason, takenOver, reconnect: (takeover = false) => void connect(takeover), socket: wsRef };
}
