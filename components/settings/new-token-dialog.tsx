"use client";
// Create an API token: name, expiry and permission checkboxes limited to what the user
// holds. On success the value is shown once, with a copy button, and never again.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { useTranslations } from "next-intl";
import { api, ApiClientError } from "../lib/api";
import { useGrants } from "../lib/queries";
import { PERMISSIONS } from "@/server/protocol/roles";
import { allowsSomewhere } from "@/server/protocol/access";
import { Button, Field } from "../ui/form";

const EXPIRY_DAYS = [7, 30, 90, 180, 366] as const;
const DEFAULT_PERMISSIONS = ["host.read", "vm.read"];

export function NewTokenDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const t = useTranslations("settings.newToken");
  const tc = useTranslations("common");
  const ref = useRef<HTMLDialogElement>(null);
  const grants = useGrants();
  const qc = useQueryClient();
  // A token is cut to what its owner holds somewhere (scoped grants included).
  const mine = grants ? PERMISSIONS.filter((p) => allowsSomewhere(grants, p)) : [];
  const [chosen, setChosen] = useState<string[]>(DEFAULT_PERMISSIONS);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [value, setValue] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const create = useMutation({
    mutationFn: (b: { name: string; expiresInDays: number; permissions: string[] }) =>
      api<{ value: string }>("/api/tokens", { method: "POST", body: b }),
    onSuccess: (r) => setValue(r.value),
    onError: (err) => setErrors(err instanceof ApiClientError ? { ...err.fields, form: err.message } : { form: err.message }),
    onSettled: () => qc.invalidateQueries({ queryKey: ["tokens"] }),
  });

  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);

  const close = () => {
    // The value is gone for good once the dialog closes.
    setValue(null);
    setCopied(false);
    setErrors({});
    setChosen(DEFAULT_PERMISSIONS);
    onClose();
  };
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    setErrors({});
    create.mutate({
      name: String(f.get("name") ?? ""),
      expiresInDays: Number(f.get("expiresInDays")),
      permissions: chosen.filter((p) => mine.includes(p as never)),
    });
  };
  const copy = async () => {
    if (!value) return;
    await navigator.clipboard.writeText(value).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  };

  return (
    <dialog
      ref={ref}
      onCancel={close}
      aria-labelledby="new-token-h"
      className="m-auto w-[34rem] max-w-[92vw] rounded-lg border border-slate-200 bg-white p-5 text-slate-900 shadow-xl backdrop:bg-black/40 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100"
    >
      <h2 id="new-token-h" className="mb-3 text-lg font-semibold">
        {value ? t("yourNew") : t("title")}
      </h2>
      {value ? (
        <div className="flex flex-col gap-3">
          <p className="text-sm">{t("shownOnce")}</p>
          <code data-testid="token-value" className="block rounded bg-slate-100 p-2 font-mono text-sm break-all select-all dark:bg-slate-800">
            {value}
          </code>
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={() => void copy()}>
              {copied ? tc("actions.copied") : tc("actions.copy")}
            </Button>
            <Button onClick={close}>{tc("actions.done")}</Button>
          </div>
        </div>
      ) : (
        <form onSubmit={submit} className="flex flex-col gap-3" noValidate>
          <Field label={t("name")} name="name" required maxLength={80} placeholder={t("namePlaceholder")} error={errors.name} autoFocus />
          <div className="flex flex-col gap-1">
            <label htmlFor="token-expiry" className="text-sm font-medium">
              {t("expiresIn")}
            </label>
            <select
              id="token-expiry"
              name="expiresInDays"
              defaultValue={90}
              className="rounded border border-slate-300 bg-white px-3 py-2 text-sm dark:border-slate-700 dark:bg-slate-900"
            >
              {EXPIRY_DAYS.map((d) => (
                <option key={d} value={d}>
                  {d === 366 ? t("oneYear") : t("days", { count: d })}
                </option>
              ))}
            </select>
          </div>
          <fieldset>
            <legend className="mb-1 text-sm font-medium">{t("permissions")}</legend>
            <div className="grid grid-cols-2 gap-1 text-sm">
              {mine.map((p) => (
                <label key={p} className="flex items-center gap-2">
                  <input
                    type="checkbox"
                    name="permission"
                    value={p}
                    checked={chosen.includes(p)}
                    onChange={(e) => setChosen((c) => (e.target.checked ? [...c, p] : c.filter((x) => x !== p)))}
                  />
                  <span className="font-mono text-xs">{p}</span>
                </label>
              ))}
            </div>
            {errors.permissions && <p className="text-sm text-red-600">{errors.permissions}</p>}
          </fieldset>
          {errors.form && (
            <p role="alert" className="text-sm text-red-600 dark:text-red-400">
              {errors.form}
            </p>
          )}
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={close}>
              {tc("actions.cancel")}
            </Button>
            <Button type="submit" disabled={create.isPending || chosen.length === 0}>
              {create.isPending ? t("creating") : t("create")}
            </Button>
          </div>
        </form>
      )}
    </dialog>
  );
}
