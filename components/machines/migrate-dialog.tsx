"use client";
// Live migration of a running VM to another libvirt host: pick the target, confirm, then
// libvirt's progress (bytes sent of total) with Cancel (the VM then stays here). When the
// task succeeds the VM lives on the target host, so the page follows it there: the task is
// followed outside React's lifetime, because this page's machine (and this component) goes
// away as soon as the source host reports it gone, which may be before the task's end.
import { useState } from "react";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import type { MachineRow } from "@/server/protocol/browser-events";
import { useHosts } from "../lib/resources";
import { useCancelTask, useTaskProgress } from "../lib/task-progress";
import { api, errorText } from "../lib/api";
import { Button } from "../ui/form";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { useToast } from "../ui/toasts";
import { useFormat } from "../i18n/format";
import { machinePath, settle } from "./edit/use-vm-edit";

export function MigrateMachine({ m }: { m: MachineRow }) {
  const [open, setOpen] = useState(false);
  const [target, setTarget] = useState("");
  const [taskId, setTaskId] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const hosts = useHosts();
  const progress = useTaskProgress(taskId);
  const cancel = useCancelTask();
  const toast = useToast();
  const router = useRouter();
  const t = useTranslations("machines.migrate");
  const f = useFormat();
  const targets = (hosts.data?.hosts ?? []).filter((h) => h.id !== m.hostId && h.status === "online" && h.libvirtConnected && h.facts?.migrationUri);

  if (m.stale || m.engine === "kubevirt" || !["running", "paused"].includes(m.state)) return null;
  const pct = progress?.total ? Math.min(100, (100 * progress.done) / progress.total) : null;

  const start = async () => {
    setOpen(false);
    setSending(true);
    const to = targets.find((h) => h.id === target);
    try {
      const a = await api<Parameters<typeof settle>[0]>(`${machinePath(m.hostId, m.uuid)}/migrate`, {
        method: "POST",
        body: { targetHostId: target },
        headers: { "Idempotency-Key": `ui:${crypto.randomUUID()}` },
      });
      setTaskId(a.task.id);
      await settle(a);
      toast(t("moved", { name: m.name, host: to?.name ?? t("theTarget") }), "success");
      router.push(`/machines/${encodeURIComponent(target)}/${encodeURIComponent(m.uuid)}`);
    } catch (e) {
      toast(t("failed", { error: errorText(e) ?? "" }), "error");
    } finally {
      setSending(false);
      setTaskId(null);
    }
  };

  if (taskId)
    return (
      <div role="status" aria-live="polite" className="flex items-center gap-2 text-sm">
        <span>
          {cancel.isSuccess
            ? t("cancelling")
            : pct === null
              ? t("running")
              : t("runningPct", { pct: f.percent(pct), done: f.bytes(progress!.done), total: f.bytes(progress!.total!) })}
        </span>
        <div
          role="progressbar"
          aria-label={t("progressLabel")}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={pct === null ? undefined : Math.round(pct)}
          className="h-2 w-24 overflow-hidden rounded bg-slate-200 dark:bg-slate-800"
        >
          <div
            className={`h-2 rounded bg-sky-600 ${pct === null ? "w-1/3 animate-pulse" : ""}`}
            style={pct === null ? undefined : { width: `${pct}%` }}
          />
        </div>
        <Button variant="secondary" disabled={cancel.isPending || cancel.isSuccess} onClick={() => cancel.mutate(taskId)}>
          {t("cancel")}
        </Button>
      </div>
    );
  return (
    <>
      <Button
        variant="secondary"
        disabled={sending}
        onClick={() => {
          setTarget(targets[0]?.id ?? "");
          setOpen(true);
        }}
      >
        {t("button")}
      </Button>
      <ConfirmDialog
        open={open}
        title={t("title", { name: m.name })}
        confirmLabel={t("confirm")}
        confirmDisabled={!target}
        onCancel={() => setOpen(false)}
        onConfirm={() => void start()}
      >
        {targets.length ? (
          <label className="flex flex-col gap-1">
            {t("targetHost")}
            <select
              className="rounded border border-slate-300 bg-white px-2 py-1 dark:border-slate-700 dark:bg-slate-900"
              value={target}
              onChange={(e) => setTarget(e.target.value)}
            >
              {targets.map((h) => (
                <option key={h.id} value={h.id}>
                  {h.name}
                </option>
              ))}
            </select>
          </label>
        ) : (
          <p>{t("noTarget")}</p>
        )}
        <p className="mt-2">{t("text")}</p>
      </ConfirmDialog>
    </>
  );
}
