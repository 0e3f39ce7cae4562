"use client";
// The frame every Settings panel shares: a titled section.
import type { ReactNode } from "react";

export function Panel({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section aria-labelledby={`${id}-h`} className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
      <h2 id={`${id}-h`} className="mb-3 text-lg font-medium">
        {title}
      </h2>
      {children}
    </section>
  );
}

export const SELECT = "rounded border border-slate-300 bg-white px-2 py-2 text-sm font-normal dark:border-slate-700 dark:bg-slate-900";
