"use client";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useCan } from "../lib/queries";
import { Tabs } from "../ui/tabs";
import { Button } from "../ui/form";
import { ContainersTable } from "./containers-table";
import { CreateContainer } from "./create-container";
import { ImagesPanel } from "./images-panel";

export function ContainersView() {
  const [tab, setTab] = useState<"containers" | "images">("containers");
  const [creating, setCreating] = useState(false);
  const canManage = useCan("container.manage");
  const t = useTranslations("containers");
  return (
    <div className="flex flex-col gap-4">
      <Tabs
        label={t("view.sections")}
        tabs={["containers", "images"] as const}
        labels={{ containers: t("view.tabs.containers"), images: t("view.tabs.images") }}
        value={tab}
        onChange={setTab}
      >
        {tab === "containers" && !creating && canManage && (
          <div className="ml-auto pb-1">
            <Button onClick={() => setCreating(true)}>{t("view.newContainer")}</Button>
          </div>
        )}
      </Tabs>
      {tab === "containers" && creating && (
        <section className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
          <CreateContainer onDone={() => setCreating(false)} />
        </section>
      )}
      {tab === "containers" ? <ContainersTable /> : <ImagesPanel />}
    </div>
  );
}
