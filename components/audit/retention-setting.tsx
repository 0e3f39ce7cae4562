"use client";
// How long the audit log is kept. Everyone who reads the log sees it; audit.manage changes it.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslations } from "next-intl";
import { api } from "../lib/api";
import { useCan } from "../lib/queries";
import { keys } from "../lib/query-keys";
import { Button } from "../ui/form";
import { useToast } from "../ui/toasts";

interface Retention {
  days: number | null;
  defaultDays: number;
}

export function RetentionSetting() {
  const t = useTranslations("audit.retention");
  const tc = useTranslations("common");
  const canManage = useCan("audit.manage");
  const qc = useQueryClient();
  const toast = useToast();
  const key = [...keys.audit(), "retention"];
  const r = useQuery({ queryKey: key, queryFn: () => api<Retention>("/api/settings/audit-retention") });
  const [error, setError] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: (days: number | null) => api<Retention & { pruned: number }>("/api/settings/audit-retention", { method: "PUT", body: { days } }),
    onSuccess: (res) => (toast(res.pruned ? t("savedPruned", { count: res.pruned }) : t("saved"), "success"), setError(null)),
    onError: (e) => setError(e.message),
    onSettled: () => qc.invalidateQueries({ queryKey: keys.audit() }),
  });
  if (!r.data) return null;
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const forever = f.get("forever") === "on";
    save.mutate(forever ? null : Number(f.get("days")));
  };
  return (
    <section aria-labelledby="retention-h" className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
      <h2 id="retention-h" className="mb-2 text-base font-medium">
        {t("title")}
      </h2>
      <p className="mb-2 text-sm text-slate-600 dark:text-slate-400">
        {r.data.days === null ? t("forever") : t("olderRemoved", { days: r.data.days })}
      </p>
      {canManage && (
        <form onSubmit={submit} className="flex flex-wrap items-end gap-2" aria-label={t("form")} key={String(r.data.days)}>
          <label className="flex flex-col gap-1 text-xs font-medium">
            {t("keepFor")}
            <input
              name="days"
              type="number"
              min={1}
              max={3650}
              defaultValue={r.data.days ?? r.data.defaultDays}
              className="w-28 rounded border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-900"
            />
          </label>
          <label className="flex items-center gap-1 text-sm">
            <input name="forever" type="checkbox" defaultChecked={r.data.days === null} /> {t("keepForever")}
          </label>
          <Button type="submit" disabled={save.isPending}>
            {tc("actions.save")}
          </Button>
          {error && (
            <p role="alert" className="w-full text-sm text-red-600">
              {error}
            </p>
          )}
        </form>
      )}
    </section>
  );
}
