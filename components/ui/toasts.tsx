"use client";
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from "react";
import { useTranslations } from "next-intl";

type Tone = "error" | "success" | "info";
interface Toast {
  id: number;
  tone: Tone;
  text: string;
}

const Ctx = createContext<(text: string, tone?: Tone) => void>(() => undefined);

export function useToast() {
  return useContext(Ctx);
}

let nextId = 1;

export function ToastProvider({ children }: { children: ReactNode }) {
  const tc = useTranslations("common");
  const [toasts, setToasts] = useState<Toast[]>([]);
  const push = useCallback((text: string, tone: Tone = "info") => {
    const id = nextId++;
    setToasts((t) => [...t.slice(-4), { id, tone, text }]);
    setTimeout(() => setToasts((t) => t.filter((x) => x.id !== id)), tone === "error" ? 8000 : 4000);
  }, []);
  const value = useMemo(() => push, [push]);
  const color: Record<Tone, string> = {
    error: "border-red-500 bg-red-50 text-red-900 dark:bg-red-950 dark:text-red-100",
    success: "border-green-500 bg-green-50 text-green-900 dark:bg-green-950 dark:text-green-100",
    info: "border-slate-400 bg-white text-slate-900 dark:bg-slate-800 dark:text-slate-100",
  };
  return (
    <Ctx.Provider value={value}>
      {children}
      <div aria-live="polite" role="status" className="fixed bottom-4 right-4 z-50 flex w-96 max-w-[90vw] flex-col gap-2">
        {toasts.map((t) => (
          <div key={t.id} className={`rounded border-l-4 px-4 py-3 text-sm shadow ${color[t.tone]}`}>
            <div className="flex items-start justify-between gap-3">
              <span>{t.text}</span>
              <button
                type="button"
                aria-label={tc("actions.dismiss")}
                className="opacity-60 hover:opacity-100"
                onClick={() => setToasts((x) => x.filter((y) => y.id !== t.id))}
              >
                ×
              </button>
            </div>
          </div>
        ))}
      </div>
    </Ctx.Provider>
  );
}
