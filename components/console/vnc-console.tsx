"use client";
// The graphical console: noVNC on a websocket that Hangar's server relays to the VM's VNC
// server through the host's agent. noVNC is imported only here, on first use, so other
// pages stay light. Keyboard input goes to the guest only while the screen has focus.
import { useTranslations } from "next-intl";
import { useCallback, useEffect, useRef, useState } from "react";
import type RFB from "@novnc/novnc";
import { Button } from "../ui/form";
import { COMBOS, keysymFor } from "./keys";
import { useConsoleSocket } from "./use-console-socket";
import { ConsoleViewers } from "./console-viewers";

export function VncConsole({
  hostId,
  uuid,
  running,
  hasGraphics,
  popout,
}: {
  hostId: string;
  uuid: string;
  machineName: string;
  running: boolean;
  hasGraphics: boolean;
  popout?: boolean;
}) {
  const screen = useRef<HTMLDivElement>(null);
  const wrapper = useRef<HTMLDivElement>(null);
  const rfb = useRef<RFB | null>(null);
  const touchInput = useRef<HTMLInputElement>(null);
  const [scale, setScale] = useState(true);
  const [viewOnly, setViewOnly] = useState(false);
  const [clipboard, setClipboard] = useState("");
  const [pasteOpen, setPasteOpen] = useState(false);
  const [keysOpen, setKeysOpen] = useState(false);
  const [paste, setPaste] = useState("");
  // "Connected" means the VNC handshake finished (noVNC's 'connect'), not merely that the
  // websocket opened: a console whose host side never answers stays "Connecting…".
  const [vncUp, setVncUp] = useState(false);
  const t = useTranslations("console");
  const tc = useTranslations("common");
  const comboLabel = (id: (typeof COMBOS)[number]["id"]) => t(`combos.${id}`);

  // noVNC must be loaded before the socket opens: the VNC server speaks first, and a
  // greeting that arrives before RFB listens would be lost.
  const [RFBClass, setRFBClass] = useState<typeof RFB | null>(null);
  useEffect(() => {
    void import("@novnc/novnc").then((m) => setRFBClass(() => m.default));
  }, []);

  const onSocket = useCallback(
    (ws: WebSocket) => {
      if (!screen.current || !RFBClass || ws.readyState !== WebSocket.OPEN) return;
      rfb.current?.disconnect();
      setVncUp(false);
      const r = new RFBClass(screen.current, ws, { shared: true });
      r.addEventListener("connect", () => setVncUp(true));
      r.scaleViewport = scale;
      r.viewOnly = viewOnly;
      r.addEventListener("clipboard", (e) => setClipboard((e as CustomEvent<{ text: string }>).detail.text));
      rfb.current = r;
    },
    // Scale and view-only are applied live below; a new socket must not depend on them.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [RFBClass],
  );
  const onClosed = useCallback(() => {
    rfb.current = null;
    setVncUp(false);
  }, []);

  const enabled = running && hasGraphics && RFBClass !== null;
  const conn = useConsoleSocket({ hostId, uuid, kind: "vnc", enabled, onSocket, onClosed });

  useEffect(() => {
    if (rfb.current) rfb.current.scaleViewport = scale;
  }, [scale]);
  useEffect(() => {
    if (rfb.current) rfb.current.viewOnly = viewOnly;
  }, [viewOnly]);

  const sendCombo = (keys: [number, string][]) => {
    const r = rfb.current;
    if (!r) return;
    for (const [sym, code] of keys) r.sendKey(sym, code, true);
    for (const [sym, code] of [...keys].reverse()) r.sendKey(sym, code, false);
    r.focus();
  };

  // Pasted text is typed as keystrokes, in small chunks so long text arrives in order.
  const typeText = async (text: string, refocus = true) => {
    const r = rfb.current;
    if (!r) return;
    let n = 0;
    for (const ch of text) {
      const sym = keysymFor(ch);
      r.sendKey(sym, null, true);
      r.sendKey(sym, null, false);
      if (++n % 32 === 0) await new Promise((res) => setTimeout(res, 15));
    }
    if (refocus) r.focus();
  };

  if (!hasGraphics) return <p className="rounded border border-dashed p-6 text-sm text-slate-500">{t("noGraphics")}</p>;
  if (!running) return <p className="rounded border border-dashed p-6 text-sm text-slate-500">{t("off")}</p>;

  const state = conn.state === "connected" && !vncUp ? "connecting" : conn.state;
  const stateText =
    state === "connected"
      ? t("connected")
      : state === "connecting"
        ? t("connecting")
        : conn.reason
          ? t("disconnectedBecause", { reason: conn.reason })
          : t("disconnected");
  return (
    <div
      ref={wrapper}
      data-testid="vnc-console"
      data-state={state}
      className={`flex flex-col gap-2 ${popout ? "h-screen p-2" : ""} bg-white dark:bg-slate-950`}
    >
      <div role="toolbar" aria-label={t("controls")} className="flex flex-wrap items-center gap-2 text-sm">
        <span role="status" className={state === "connected" ? "text-green-700 dark:text-green-400" : "text-slate-500"}>
          {stateText}
        </span>
        {conn.state === "disconnected" && (
          <Button variant="secondary" onClick={() => conn.reconnect(false)}>
            {t("reconnect")}
          </Button>
        )}
        {conn.takenOver && (
          <Button variant="secondary" onClick={() => conn.reconnect(true)}>
            {t("takeOver")}
          </Button>
        )}
        <Button variant="secondary" onClick={() => rfb.current?.sendCtrlAltDel()} disabled={state !== "connected"}>
          {t("ctrlAltDel")}
        </Button>
        <div className="relative">
          <Button
            variant="secondary"
            aria-haspopup="menu"
            aria-expanded={keysOpen}
            onClick={() => setKeysOpen((o) => !o)}
            disabled={state !== "connected"}
          >
            {t("keys")}
          </Button>
          {keysOpen && (
            <div
              role="menu"
              className="absolute z-20 mt-1 w-48 rounded border border-slate-200 bg-white py-1 shadow dark:border-slate-700 dark:bg-slate-900"
            >
              {COMBOS.map((c) => (
                <button
                  key={c.id}
                  role="menuitem"
                  type="button"
                  className="block w-full px-3 py-1.5 text-left hover:bg-slate-100 dark:hover:bg-slate-800"
                  onClick={() => (setKeysOpen(false), sendCombo(c.keys))}
                >
                  {comboLabel(c.id)}
                </button>
              ))}
            </div>
          )}
        </div>
        <Button variant="secondary" onClick={() => setPasteOpen((o) => !o)} disabled={state !== "connected"}>
          {t("pasteText")}
        </Button>
        <Button variant="secondary" aria-pressed={scale} onClick={() => setScale((s) => !s)}>
          {scale ? "1:1" : t("scale")}
        </Button>
        <Button variant="secondary" aria-pressed={viewOnly} onClick={() => setViewOnly((v) => !v)}>
          {viewOnly ? t("allowInput") : t("viewOnly")}
        </Button>
        <Button variant="secondary" onClick={() => void wrapper.current?.requestFullscreen?.()}>
          {t("fullscreen")}
        </Button>
        <Button variant="secondary" aria-label={t("onScreenKeyboard")} onClick={() => touchInput.current?.focus()} disabled={state !== "connected"}>
          ⌨
        </Button>
        {/* Focusing a text field is what brings up a touch device's keyboard; what is typed
            there is forwarded to the guest as keystrokes and the field is emptied. */}
        <input
          ref={touchInput}
          aria-label={t("typeInto")}
          className="h-0 w-0 opacity-0"
          autoCapitalize="off"
          autoCorrect="off"
          onInput={(e) => {
            const v = e.currentTarget.value;
            e.currentTarget.value = "";
            void typeText(v, false);
          }}
          onKeyDown={(e) => {
            if (e.key === "Enter") void typeText("\n", false);
            if (e.key === "Backspace") {
              rfb.current?.sendKey(0xff08, "Backspace", true);
              rfb.current?.sendKey(0xff08, "Backspace", false);
            }
          }}
        />
        {!popout && (
          <a className="text-sky-700 hover:underline dark:text-sky-400" href={`/console/${hostId}/${uuid}`} target="_blank" rel="noopener">
            {t("popOut")}
          </a>
        )}
        <ConsoleViewers hostId={hostId} uuid={uuid} />
      </div>
      {pasteOpen && (
        <div className="flex items-start gap-2">
          <textarea
            aria-label={t("pasteLabel")}
            value={paste}
            onChange={(e) => setPaste(e.target.value)}
            rows={3}
            className="w-full max-w-xl rounded border border-slate-300 p-2 font-mono text-sm dark:border-slate-700 dark:bg-slate-900"
          />
          <Button onClick={() => void typeText(paste).then(() => setPasteOpen(false))}>{t("typeIt")}</Button>
        </div>
      )}
      <p className="text-xs text-slate-500">{t("focusHint")}</p>
      <div ref={screen} data-testid="vnc-screen" className={`${popout ? "flex-1" : "h-[60vh]"} w-full overflow-hidden rounded bg-black`} />
      {clipboard && (
        <div className="flex items-center gap-2 text-sm">
          <span className="text-slate-500">{t("clipboardLabel")}</span>
          <input
            readOnly
            value={clipboard}
            aria-label={t("clipboard")}
            className="flex-1 rounded border px-2 py-1 font-mono text-xs dark:bg-slate-900"
          />
          <Button variant="secondary" onClick={() => void navigator.clipboard?.writeText(clipboard)}>
            {tc("actions.copy")}
          </Button>
        </div>
      )}
    </div>
  );
}
