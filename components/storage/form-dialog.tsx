"use client";
// A modal form on <dialog> (focus trapped, Escape cancels) for the storage dialogs: the
// server's field errors show under their fields, anything else above the buttons.
import { useTranslations } from "next-intl";
import { useEffect, useRef, type FormEvent, type ReactNode } from "react";
import { Button } from "../ui/form";

export function FormDialog({
  open,
  title,
  submitLabel,
  busy,
  error,
  onSubmit,
  onCancel,
  children,
}: {
  open: boolean;
  title: string;
  submitLabel: string;
  busy: boolean;
  /** A refusal not tied to one field. */
  error: string | null;
  onSubmit: (f: FormData) => void;
  onCancel: () => void;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const t = useTranslations("storage");
  const tc = useTranslations("common");
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    onSubmit(new FormData(e.currentTarget));
  };
  const id = `dlg-${title.replace(/\W+/g, "-").toLowerCase()}`;
  return (
    <dialog
      ref={ref}
      onCancel={onCancel}
      aria-labelledby={id}
      className="m-auto w-[30rem] max-w-[92vw] rounded-lg border border-slate-200 bg-white p-5 text-slate-900 shadow-xl backdrop:bg-black/40 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100"
    >
      {open && (
        <form onSubmit={submit} className="flex flex-col gap-3" noValidate>
          <h2 id={id} className="text-lg font-semibold">
            {title}
          </h2>
          {children}
          {error && (
            <p role="alert" className="text-sm text-red-600 dark:text-red-400">
              {error}
            </p>
          )}
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={onCancel}>
              {tc("actions.cancel")}
            </Button>
            <Button type="submit" disabled={busy}>
              {busy ? t("dialog.working") : submitLabel}
            </Button>
          </div>
        </form>
      )}
    </dialog>
  );
}

export function FieldError({ id, error }: { id: string; error: string | undefined }) {
  return error ? (
    <p id={`${id}-error`} className="text-sm text-red-600 dark:text-red-400">
      {error}
    </p>
  ) : null;
}

export const inputClass = "rounded border border-slate-300 bg-white px-3 py-2 text-sm dark:border-slate-700 dark:bg-slate-900";
