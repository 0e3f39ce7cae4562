"use client";
// Tags on a table row: small chips, read-only (the editor is on the detail pages).
import { useTranslations } from "next-intl";

export function TagChips({ tags, max = 3 }: { tags: readonly string[] | undefined; max?: number }) {
  const t = useTranslations("common");
  if (!tags?.length) return null;
  const shown = tags.slice(0, max);
  return (
    <span className="flex shrink-0 gap-1" aria-label={t("tags.chips", { tags: tags.join(", ") })} data-testid="tag-chips">
      {shown.map((tag) => (
        <span key={tag} className="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-700 dark:bg-slate-800 dark:text-slate-300">
          {tag}
        </span>
      ))}
      {tags.length > max && <span className="text-xs text-slate-500">+{tags.length - max}</span>}
    </span>
  );
}
