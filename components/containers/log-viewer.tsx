"use client";
// Live logs of a container: the last 500 lines, then new ones as they are written, with
// timestamps and stderr marked; search filters what is shown; the browser keeps at most
// MAX_LINES (older ones are dropped, the download has everything).
import { useTranslations } from "next-intl";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useConsoleSocket } from "../console/use-console-socket";

const MAX_LINES = 5000;

interface Line {
  n: number;
  err: boolean;
  t: string;
  text: string;
}

export function LogViewer({ hostId, id, name }: { hostId: string; id: string; name: string }) {
  const [lines, setLines] = useState<Line[]>([]);
  const [q, setQ] = useState("");
  const [follow, setFollow] = useState(true);
  const box = useRef<HTMLDivElement>(null);
  const counter = useRef(0);
  const partial = useRef("");
  const t = useTranslations("containers");
  const tLogsConnState = useTranslations("containers.logs.connState");

  const onSocket = useCallback((ws: WebSocket) => {
    setLines([]);
    partial.current = "";
    const dec = new TextDecoder();
    ws.addEventListener("message", (e) => {
      const chunk = partial.current + dec.decode(new Uint8Array(e.data as ArrayBuffer), { stream: true });
      const parts = chunk.split("\n");
      partial.current = parts.pop() ?? "";
      const fresh: Line[] = parts.map((p) => {
        const m = /^([12]) (\S+) ?(.*)$/.exec(p);
        return { n: counter.current++, err: m?.[1] === "2", t: m?.[2] ?? "", text: m?.[3] ?? p };
      });
      if (fresh.length) setLines((old) => (old.length + fresh.length > MAX_LINES ? [...old, ...fresh].slice(-MAX_LINES) : [...old, ...fresh]));
    });
  }, []);
  const conn = useConsoleSocket({
    hostId,
    uuid: id,
    kind: "logs",
    enabled: true,
    onSocket,
    ticketUrl: `/api/containers/${encodeURIComponent(hostId)}/${encodeURIComponent(id)}/console`,
  });

  const shown = useMemo(() => {
    const needle = q.trim().toLowerCase();
    return needle ? lines.filter((l) => l.text.toLowerCase().includes(needle)) : lines;
  }, [lines, q]);

  useEffect(() => {
    if (follow && box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [shown, follow]);

  return (
    <div className="flex flex-col gap-2" data-testid="log-viewer" data-state={conn.state}>
      <div className="flex flex-wrap items-center gap-3 text-sm">
        <input
          aria-label={t("logs.search")}
          placeholder={t("logs.searchPlaceholder")}
          value={q}
          onChange={(e) => setQ(e.target.value)}
          className="w-64 rounded border border-slate-300 bg-white px-2 py-1 dark:border-slate-700 dark:bg-slate-900"
        />
        <label className="flex items-center gap-1">
          <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} /> {t("logs.follow")}
        </label>
        <span className="text-slate-500">
          {conn.state === "connected" ? t("logs.live") : tLogsConnState(conn.state)} · {t("logs.count", { shown: shown.length, total: lines.length })}
          {lines.length >= MAX_LINES ? t("logs.kept", { max: String(MAX_LINES) }) : ""}
        </span>
        <a
          className="ml-auto text-sky-700 hover:underline dark:text-sky-400"
          href={`/api/containers/${encodeURIComponent(hostId)}/${encodeURIComponent(id)}/logs?tail=100000&download=1`}
          download={`${name}.log`}
        >
          {t("logs.download")}
        </a>
      </div>
      <div
        ref={box}
        data-testid="log-lines"
        className="h-[28rem] overflow-auto rounded bg-slate-900 p-2 font-mono text-xs text-slate-100"
        onScroll={(e) => {
          const el = e.currentTarget;
          setFollow(el.scrollHeight - el.scrollTop - el.clientHeight < 20);
        }}
      >
        {shown.map((l) => (
          <div key={l.n} className={l.err ? "text-red-300" : undefined}>
            <span className="select-none text-slate-500">{l.t.replace("T", " ").replace(/\.\d+/, "").replace("Z", "")} </span>
            {l.text}
          </div>
        ))}
        {!lines.length && <p className="text-slate-500">{conn.state === "connected" ? t("logs.noOutput") : (conn.reason ?? t("logs.connecting"))}</p>}
      </div>
    </div>
  );
}
