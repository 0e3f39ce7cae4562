"use client";
import { useTranslations } from "next-intl";
import { useState } from "react";
import type { MachineListRow } from "@/server/protocol/browser-events";
import { useMachineAction } from "../lib/resources";
import { useToast } from "../ui/toasts";
import type { ActionSpec } from "./actions";

/** Runs an action on one or many machines, asking first for destructive ones. */
export function useRunAction() {
  const mutation = useMachineAction();
  const toast = useToast();
  const t = useTranslations("machines");
  const [pending, setPending] = useState<{ spec: ActionSpec; targets: MachineListRow[] } | null>(null);

  const execute = async (spec: ActionSpec, targets: MachineListRow[]) => {
    const results = await Promise.allSettled(targets.map((m) => mutation.mutateAsync({ hostId: m.hostId, uuid: m.uuid, action: spec.action })));
    const failed = results.filter((r) => r.status === "rejected").length;
    if (targets.length > 1)
      toast(
        t("bulkResult", { action: t(`actions.${spec.action}`), started: targets.length - failed, total: targets.length, failed }),
        failed ? "error" : "success",
      );
  };

  return {
    /** The button text of an action, and the warning a destructive one asks with. */
    label: (action: ActionSpec["action"]) => t(`actions.${action}`),
    warning: (spec: ActionSpec) => (spec.confirm ? t(`actionConfirm.${spec.confirm}`) : null),
    run(spec: ActionSpec, targets: MachineListRow[]) {
      if (spec.confirm) setPending({ spec, targets });
      else void execute(spec, targets);
    },
    pending,
    confirm() {
      if (pending) void execute(pending.spec, pending.targets);
      setPending(null);
    },
    cancel: () => setPending(null),
  };
}
