"use client";
// Snapshot tree of one machine: create (with the guest's memory when it runs), revert and
// delete, each asking first.
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useFormat } from "../../i18n/format";
import type { MachineRow } from "@/server/protocol/browser-events";
import type { SnapshotRow } from "@/server/protocol/vm-edit";
import { Button, EmptyState } from "../../ui/form";
import { ConfirmDialog } from "../../ui/confirm-dialog";
import { errorText, useMachineTask, useSnapshots } from "./use-vm-edit";

const box = "rounded border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-900";

/** Rows in tree order with their depth: children under their parent, oldest first. */
export function treeOrder(rows: SnapshotRow[]): { s: SnapshotRow; depth: number }[] {
  const names = new Set(rows.map((r) => r.name));
  const kids = new Map<string | null, SnapshotRow[]>();
  for (const r of rows) {
    const p = r.parent && names.has(r.parent) ? r.parent : null;
    kids.set(p, [...(kids.get(p) ?? []), r]);
  }
  const out: { s: SnapshotRow; depth: number }[] = [];
  const walk = (p: string | null, depth: number) => {
    for (const s of kids.get(p) ?? []) {
      out.push({ s, depth });
      walk(s.name, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}

export function SnapshotsTab({ m, canEdit }: { m: MachineRow; canEdit: boolean }) {
  const { data, error, isPending } = useSnapshots(m.hostId, m.uuid);
  const task = useMachineTask(m.hostId, m.uuid);
  const t = useTranslations("machines.snapshots");
  const tc = useTranslations("common");
  const f = useFormat();
  const running = m.state === "running" || m.state === "paused";
  const [creating, setCreating] = useState(false);
  const [form, setForm] = useState({ name: "", description: "" });
  const [confirm, setConfirm] = useState<{ op: "revert" | "delete"; name: string } | null>(null);
  const busy = task.isPending || m.stale;

  return (
    <div className="flex flex-col gap-3 text-sm">
      <div className="flex items-center gap-2">
        {canEdit && (
          <Button disabled={busy} onClick={() => setCreating(true)}>
            {t("take")}
          </Button>
        )}
        {task.isPending && <span className="text-slate-500">{t("working")}</span>}
        {task.error && (
          <p role="alert" className="text-red-600">
            {errorText(task.error)}
          </p>
        )}
      </div>
      {isPending && <p className="text-slate-500">{tc("loading")}</p>}
      {error && (
        <p role="alert" className="text-red-600">
          {errorText(error)}
        </p>
      )}
      {data && data.snapshots.length === 0 && <EmptyState title={t("emptyTitle")}>{t("emptyText")}</EmptyState>}
      {data && data.snapshots.length > 0 && (
        <ul aria-label={t("list")} className="flex max-w-4xl flex-col">
          {treeOrder(data.snapshots).map(({ s, depth }) => (
            <li
              key={s.name}
              data-testid="snapshot-row"
              data-name={s.name}
              data-depth={depth}
              className="flex flex-wrap items-center gap-2 border-t border-slate-200 py-1 dark:border-slate-800"
              style={{ paddingLeft: `${depth * 1.5}rem` }}
            >
              {depth > 0 && (
                <span aria-hidden className="text-slate-400">
                  └
                </span>
              )}
              <span className="font-mono font-medium">{s.name}</span>
              {s.parent && <span className="sr-only">{t("childOf", { parent: s.parent })}</span>}
              {s.current && <span className="rounded bg-sky-100 px-1.5 text-xs text-sky-800 dark:bg-sky-900 dark:text-sky-100">{t("current")}</span>}
              <span className="text-xs text-slate-500">
                {s.hasMemory
                  ? t("metaWithMemory", { date: f.date(s.createdAt), state: s.state })
                  : t("metaDisksOnly", { date: f.date(s.createdAt), state: s.state })}
              </span>
              {s.description && <span className="text-xs text-slate-600 dark:text-slate-400">{s.description}</span>}
              {canEdit && (
                <span className="ml-auto flex gap-1">
                  <Button variant="secondary" disabled={busy} onClick={() => setConfirm({ op: "revert", name: s.name })}>
                    {t("revert")}
                  </Button>
                  <Button variant="danger" disabled={busy} onClick={() => setConfirm({ op: "delete", name: s.name })}>
                    {t("delete")}
                  </Button>
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
      <ConfirmDialog
        open={creating}
        title={t("createTitle", { name: m.name })}
        confirmLabel={t("createConfirm")}
        onCancel={() => setCreating(false)}
        onConfirm={() => {
          setCreating(false);
          task.mutate({
            path: "/snapshots",
            method: "POST",
            body: { name: form.name, description: form.description, memory: running },
          });
        }}
      >
        <div className="flex flex-col gap-2">
          <label className="flex flex-col gap-1">
            {t("name")}
            <input
              className={box}
              value={form.name}
              onChange={(e) => setForm({ ...form, name: e.target.value })}
              placeholder={t("namePlaceholder")}
              pattern="[A-Za-z0-9][A-Za-z0-9._-]{0,63}"
              required
            />
          </label>
          <label className="flex flex-col gap-1">
            {t("description")}
            <input className={box} value={form.description} maxLength={4096} onChange={(e) => setForm({ ...form, description: e.target.value })} />
          </label>
          {running && (
            <label className="inline-flex items-start gap-2">
              <input type="checkbox" checked disabled aria-describedby="snap-memory-why" />
              <span>
                {t("includeMemory")}
                <span id="snap-memory-why" className="block text-xs text-slate-500">
                  {t("includeMemoryWhy")}
                </span>
              </span>
            </label>
          )}
        </div>
      </ConfirmDialog>
      <ConfirmDialog
        open={confirm !== null}
        title={
          confirm?.op === "revert" ? t("revertTitle", { name: m.name, snapshot: confirm.name }) : t("deleteTitle", { snapshot: confirm?.name ?? "" })
        }
        confirmLabel={confirm?.op === "revert" ? t("revertConfirm") : t("deleteConfirm")}
        danger
        onCancel={() => setConfirm(null)}
        onConfirm={() => {
          if (confirm)
            task.mutate(
              confirm.op === "revert"
                ? { path: `/snapshots/${encodeURIComponent(confirm.name)}/revert`, method: "POST" }
                : { path: `/snapshots/${encodeURIComponent(confirm.name)}`, method: "DELETE" },
            );
          setConfirm(null);
        }}
      >
        {confirm?.op === "revert" ? t("revertText") : t("deleteText")}
      </ConfirmDialog>
    </div>
  );
}
