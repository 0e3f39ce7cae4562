"use client";
import { useTranslations } from "next-intl";
import { useState } from "react";
import type { ContainerRow } from "@/server/protocol/browser-events";
import { useContainerAction } from "../lib/container-resources";
import { useToast } from "../ui/toasts";
import type { ContainerActionSpec } from "./container-state";

/** Runs a container action, asking first for destructive ones; errors become toasts. */
export function useContainerActions() {
  const mutation = useContainerAction();
  const toast = useToast();
  const t = useTranslations("containers");
  const tActions = useTranslations("containers.actions");
  const [pending, setPending] = useState<{ spec: ContainerActionSpec; c: ContainerRow } | null>(null);
  const execute = (spec: ContainerActionSpec, c: ContainerRow) =>
    mutation.mutate(
      { hostId: c.hostId, id: c.id, action: spec.action },
      { onError: (err) => toast(t("actionFailed", { action: tActions(spec.action), name: c.name, message: err.message }), "error") },
    );
  return {
    run(spec: ContainerActionSpec, c: ContainerRow) {
      if (spec.confirm) setPending({ spec, c });
      else execute(spec, c);
    },
    pending,
    confirm() {
      if (pending) execute(pending.spec, pending.c);
      setPending(null);
    },
    cancel: () => setPending(null),
  };
}
