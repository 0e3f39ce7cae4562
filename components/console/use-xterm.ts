"use client";
// An xterm.js terminal in a container element, fitted to it and loaded on first use:
// keystrokes go to the given socket; size changes are reported (container shells use them).
import { useEffect, useRef, type RefObject } from "react";
import type { Terminal } from "@xterm/xterm";
import "@xterm/xterm/css/xterm.css";

export function useXterm(
  host: RefObject<HTMLDivElement | null>,
  socket: RefObject<WebSocket | null>,
  onResize?: (cols: number, rows: number) => void,
): RefObject<Terminal | null> {
  const term = useRef<Terminal | null>(null);
  const resized = useRef(onResize);
  resized.current = onResize;
  useEffect(() => {
    let disposed = false;
    let observer: ResizeObserver | null = null;
    void Promise.all([import("@xterm/xterm"), import("@xterm/addon-fit")]).then(([{ Terminal: T }, { FitAddon }]) => {
      if (disposed || !host.current) return;
      const t = new T({ scrollback: 5000, convertEol: false, cursorBlink: true, fontSize: 14, theme: { background: "#0f172a" } });
      const fit = new FitAddon();
      t.loadAddon(fit);
      t.open(host.current);
      fit.fit();
      resized.current?.(t.cols, t.rows);
      t.onResize(({ cols, rows }) => resized.current?.(cols, rows));
      observer = new ResizeObserver(() => fit.fit());
      observer.observe(host.current);
      t.onData((s) => socket.current?.readyState === WebSocket.OPEN && socket.current.send(new TextEncoder().encode(s)));
      term.current = t;
    });
    return () => {
      disposed = true;
      observer?.disconnect();
      term.current?.dispose();
      term.current = null;
    };
  }, [host, socket]);
  return term;
}
