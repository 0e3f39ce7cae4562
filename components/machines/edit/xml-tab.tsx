"use client";
// The machine's XML: read-only for viewers; editors change it and "Validate and save"
// sends it through libvirt's schema check first (nothing is kept when it fails). Editing
// starts from the persistent definition, not the running one: that is what gets saved.
import { useTranslations } from "next-intl";
import { useState } from "react";
import type { MachineRow } from "@/server/protocol/browser-events";
import { Button } from "../../ui/form";
import { errorText, useEditInfo, useMachineTask } from "./use-vm-edit";

export function XmlTab({ m, xml, canEdit }: { m: MachineRow; xml: string | null; canEdit: boolean }) {
  const task = useMachineTask(m.hostId, m.uuid);
  const [draft, setDraft] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const info = useEditInfo(m.hostId, m.uuid, canEdit && !m.stale);
  const running = m.state === "running" || m.state === "paused";
  const t = useTranslations("machines.xml");
  const tc = useTranslations("common");
  if (!xml) return <p className="text-sm text-slate-500">{t("hostOffline")}</p>;
  if (!canEdit || draft === null)
    return (
      <div className="flex flex-col gap-2">
        {canEdit && (
          <div>
            <Button variant="secondary" disabled={m.stale || !info.data} onClick={() => (setDraft(info.data?.configXml ?? xml), setSaved(false))}>
              {t("edit")}
            </Button>
            {saved && <span className="ml-2 text-sm text-green-700 dark:text-green-400">{t("saved")}</span>}
          </div>
        )}
        <pre className="max-h-[70vh] overflow-auto rounded bg-slate-900 p-3 font-mono text-xs text-slate-100">{xml}</pre>
      </div>
    );
  return (
    <div className="flex flex-col gap-2">
      {running && <p className="text-sm text-amber-700 dark:text-amber-400">{t("editingRunning")}</p>}
      <textarea
        aria-label={t("label", { name: m.name })}
        spellCheck={false}
        value={draft}
        onChange={(e) => setDraft(e.target.value)}
        className="h-[60vh] rounded border border-slate-300 bg-slate-950 p-3 font-mono text-xs text-slate-100"
      />
      {task.error && (
        <p role="alert" className="text-sm whitespace-pre-wrap text-red-600">
          {errorText(task.error)}
        </p>
      )}
      <div className="flex gap-2">
        <Button
          disabled={task.isPending}
          onClick={() => task.mutate({ path: "/xml", method: "PUT", body: { xml: draft } }, { onSuccess: () => (setDraft(null), setSaved(true)) })}
        >
          {task.isPending ? t("validating") : t("save")}
        </Button>
        <Button variant="secondary" disabled={task.isPending} onClick={() => (setDraft(null), task.reset())}>
          {tc("actions.cancel")}
        </Button>
      </div>
    </div>
  );
}
