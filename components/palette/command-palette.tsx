"use client";
// The command palette (Ctrl+K / Cmd+K): search hosts, VMs, containers, tasks and users, and
// act on a result from the keyboard. It is an ARIA combobox over a listbox in a modal
// <dialog>: arrows move, Enter runs, Escape closes. Actions are the ones the row's buttons
// would offer to this user (palette-actions.ts), and go through the same API calls.
import { useRouter } from "next/navigation";
import { useEffect, useId, useMemo, useRef, useState } from "react";
import { useTranslations } from "next-intl";
import type { SearchHit } from "@/server/protocol/search";
import { useGrants } from "../lib/queries";
import { useSearch } from "../lib/search";
import { useMachineAction } from "../lib/resources";
import { useContainerAction } from "../lib/container-resources";
import { errorText } from "../lib/api";
import { useToast } from "../ui/toasts";
import { actionsFor, parseQuery, type PaletteAction } from "./palette-actions";
import { useHitSubtitle } from "./hit-subtitle";

interface Option {
  id: string;
  hit: SearchHit;
  action: PaletteAction;
}

// The fields the server's search matches besides the name (server/web/services/search.ts).
const MATCH_FIELDS = ["uuid", "tag", "mac", "ip", "id", "image"] as const;
type MatchField = (typeof MATCH_FIELDS)[number];
const isMatchField = (f: string): f is MatchField => (MATCH_FIELDS as readonly string[]).includes(f);

export function CommandPalette() {
  const t = useTranslations("palette");
  const [open, setOpen] = useState(false);
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === "k") {
        e.preventDefault();
        setOpen((o) => !o);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
  useEffect(() => {
    const d = dialog.current;
    if (open && d && !d.open) d.showModal();
    if (!open && d?.open) d.close();
  }, [open]);
  return (
    <>
      <button
        type="button"
        onClick={() => setOpen(true)}
        className="flex items-center gap-2 rounded border border-slate-300 px-2 py-1 text-xs text-slate-500 hover:bg-slate-50 dark:border-slate-700 dark:hover:bg-slate-800"
        aria-keyshortcuts="Control+K Meta+K"
      >
        {t("open")} <kbd className="rounded bg-slate-100 px-1 font-sans dark:bg-slate-800">{t("shortcut")}</kbd>
      </button>
      <dialog
        ref={dialog}
        aria-label={t("title")}
        onClose={() => setOpen(false)}
        className="m-auto mt-24 w-[36rem] max-w-[92vw] rounded-lg border border-slate-200 bg-white p-0 text-slate-900 shadow-xl backdrop:bg-black/40 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100"
      >
        {open && <PaletteBody close={() => setOpen(false)} />}
      </dialog>
    </>
  );
}

function PaletteBody({ close }: { close: () => void }) {
  const t = useTranslations("palette");
  const subtitle = useHitSubtitle();
  const [input, setInput] = useState("");
  const [active, setActive] = useState(0);
  const listId = useId();
  const router = useRouter();
  const toast = useToast();
  const grants = useGrants();
  const vmAction = useMachineAction();
  const containerAction = useContainerAction();
  const { verb, text } = parseQuery(input);
  const search = useSearch(text);
  const options = useMemo<Option[]>(
    () =>
      (search.data?.hits ?? []).flatMap((hit) =>
        actionsFor(hit, grants, verb)
          // Without a verb each hit offers opening it and its first action; with one, that action.
          .slice(0, verb ? 1 : 2)
          .map((action) => ({ id: `${hit.kind}-${hit.id}-${action.key}`, hit, action })),
      ),
    [search.data, grants, verb],
  );
  useEffect(() => setActive(0), [input]);

  const run = (o: Option | undefined) => {
    if (!o) return;
    const r = o.action.run;
    close();
    if (r.type === "navigate") return router.push(r.href);
    const action = t(`actions.${o.action.key}`);
    const done = { onError: (e: unknown) => toast(t("failed", { action, name: o.hit.title, error: errorText(e) ?? "" }), "error") };
    toast(t("started", { action, name: o.hit.title }));
    if (r.type === "vm") vmAction.mutate({ hostId: r.hostId, uuid: r.uuid, action: r.action }, done);
    else containerAction.mutate({ hostId: r.hostId, id: r.id, action: r.action }, done);
  };

  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      const n = options.length;
      if (n) setActive((a) => (a + (e.key === "ArrowDown" ? 1 : n - 1)) % n);
    } else if (e.key === "Enter") {
      e.preventDefault();
      run(options[active]);
    }
  };

  const current = options[active];
  return (
    <div onKeyDown={onKeyDown}>
      <input
        autoFocus
        role="combobox"
        aria-expanded={options.length > 0}
        aria-controls={listId}
        aria-activedescendant={current?.id}
        aria-autocomplete="list"
        aria-label={t("inputLabel")}
        placeholder={t("placeholder")}
        value={input}
        onChange={(e) => setInput(e.target.value)}
        className="w-full border-b border-slate-200 bg-transparent px-4 py-3 text-sm outline-none dark:border-slate-700"
      />
      <ul id={listId} role="listbox" aria-label={t("results")} className="max-h-96 overflow-y-auto py-1">
        {options.map((o, i) => {
          const kind = t(`kind.${o.hit.kind}`);
          const title = o.action.key === "open" ? o.hit.title : t("actionOn", { action: t(`actions.${o.action.key}`), name: o.hit.title });
          const field = o.hit.match && (isMatchField(o.hit.match.field) ? t(`field.${o.hit.match.field}`) : o.hit.match.field);
          return (
            <li
              key={o.id}
              id={o.id}
              role="option"
              aria-selected={i === active}
              onMouseEnter={() => setActive(i)}
              onClick={() => run(o)}
              className={`flex cursor-pointer items-center gap-3 px-4 py-2 text-sm ${i === active ? "bg-sky-100 dark:bg-sky-900/40" : ""}`}
            >
              <span className="w-20 shrink-0 text-xs text-slate-500">{kind}</span>
              <span className="min-w-0 flex-1">
                <span className="font-medium">{title}</span>
                <span className="ml-2 text-xs text-slate-500">{subtitle(o.hit)}</span>
                {o.hit.match && <span className="ml-2 text-xs text-slate-500">{t("match", { field: field ?? "", value: o.hit.match.value })}</span>}
              </span>
              {o.action.key !== "open" && <span className="text-xs text-slate-400">{t("actionBadge")}</span>}
            </li>
          );
        })}
      </ul>
      <p className="border-t border-slate-200 px-4 py-2 text-xs text-slate-500 dark:border-slate-700" aria-live="polite">
        {!text
          ? t("hint")
          : search.isError
            ? t("searchFailed", { error: errorText(search.error) ?? "" })
            : search.isFetching && !options.length
              ? t("searching")
              : options.length
                ? t("count", { count: options.length })
                : verb
                  ? t("nothingFor", { verb, text })
                  : t("nothing", { text })}
      </p>
    </div>
  );
}
