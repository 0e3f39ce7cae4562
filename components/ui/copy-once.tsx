"use client";
// A secret link shown once (invitation, password reset): selectable, with a copy button.
// The server never shows it again, so the text says so.
import { useState } from "react";
import { useTranslations } from "next-intl";
import { Button } from "./form";

export function CopyOnce({ label, value, onDone }: { label: string; value: string; onDone: () => void }) {
  const t = useTranslations("common");
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied(true);
    } catch {
      // Clipboard refused (plain http, permissions): the field stays selectable.
      setCopied(false);
    }
  };
  return (
    <div role="status" className="rounded border border-amber-300 bg-amber-50 p-3 text-sm dark:border-amber-700 dark:bg-amber-950/40">
      <p className="mb-2 font-medium">{t("copyOnce.shownOnce", { label })}</p>
      <div className="flex gap-2">
        <input
          readOnly
          aria-label={label}
          data-testid="secret-link"
          value={value}
          onFocus={(e) => e.currentTarget.select()}
          className="min-w-0 flex-1 rounded border border-slate-300 bg-white px-2 py-1 font-mono text-xs dark:border-slate-700 dark:bg-slate-900"
        />
        <Button variant="secondary" onClick={() => void copy()}>
          {copied ? t("actions.copied") : t("actions.copy")}
        </Button>
        <Button variant="secondary" onClick={onDone}>
          {t("actions.done")}
        </Button>
      </div>
    </div>
  );
}
