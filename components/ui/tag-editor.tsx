"use client";
// Tags of one VM or container: chips with a remove button each, and a field that adds one
// on Enter (suggestions: the tags in use). Keyboard only works: Tab to a chip's ×, Enter
// or Space removes it; Backspace in the empty field removes the last one.
import { useId, useState, type KeyboardEvent } from "react";
import { useTranslations } from "next-intl";
import { ApiClientError } from "../lib/api";
import { useSetTags, useTagNames } from "../lib/access";

const TAG_RE = /^[a-z0-9][a-z0-9._:-]*$/;

export function TagEditor({
  kind,
  hostId,
  id,
  tags,
  editable,
}: {
  kind: "machines" | "containers";
  hostId: string;
  id: string;
  tags: readonly string[];
  editable: boolean;
}) {
  const tc = useTranslations("common");
  const listId = useId();
  const [draft, setDraft] = useState("");
  const [error, setError] = useState<string | null>(null);
  const save = useSetTags(kind, hostId, id);
  const known = useTagNames();
  const put = (next: string[]) => {
    setError(null);
    save.mutate(next, {
      onSuccess: () => setDraft(""),
      // The server names what was wrong (tags.0: lowercase letters…); its message says it whole.
      onError: (e) => setError(e instanceof ApiClientError ? e.message : String(e)),
    });
  };
  const add = () => {
    const t = draft.trim().toLowerCase();
    if (!t) return;
    if (!TAG_RE.test(t) || t.length > 48) {
      setError(tc("tags.invalid"));
      return;
    }
    if (tags.includes(t)) return setDraft("");
    put([...tags, t]);
  };
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === "Enter") {
      e.preventDefault();
      add();
    } else if (e.key === "Backspace" && !draft && tags.length) put(tags.slice(0, -1));
  };
  return (
    <div className="flex flex-col gap-1" data-testid="tag-editor">
      <ul className="flex flex-wrap items-center gap-1" aria-label={tc("tags.list")}>
        {tags.map((t) => (
          <li key={t} className="flex items-center gap-1 rounded bg-slate-100 px-2 py-0.5 text-xs dark:bg-slate-800">
            {t}
            {editable && (
              <button
                type="button"
                aria-label={tc("tags.remove", { tag: t })}
                disabled={save.isPending}
                onClick={() => put(tags.filter((x) => x !== t))}
                className="rounded px-1 text-slate-500 hover:bg-slate-200 hover:text-slate-900 focus:outline-2 dark:hover:bg-slate-700"
              >
                ×
              </button>
            )}
          </li>
        ))}
        {!tags.length && <li className="text-xs text-slate-500">{tc("tags.none")}</li>}
        {editable && (
          <li>
            <input
              aria-label={tc("tags.add")}
              placeholder={tc("tags.addPlaceholder")}
              list={listId}
              value={draft}
              disabled={save.isPending}
              onChange={(e) => setDraft(e.target.value)}
              onKeyDown={onKey}
              className="w-32 rounded border border-slate-300 bg-white px-2 py-0.5 text-xs dark:border-slate-700 dark:bg-slate-900"
            />
            <datalist id={listId}>
              {known.data?.tags
                .filter((t) => !tags.includes(t.name))
                .map((t) => (
                  <option key={t.name} value={t.name} />
                ))}
            </datalist>
          </li>
        )}
      </ul>
      {error && (
        <p role="alert" className="text-xs text-red-600">
          {error}
        </p>
      )}
    </div>
  );
}
