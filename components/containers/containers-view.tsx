"use client";
import { useState } from "react";
import { useCan } from "../lib/queries";
import { Button } from "../ui/form";
import { ContainersTable } from "./containers-table";
import { CreateContainer } from "./create-container";
import { ImagesPanel } from "./images-panel";

export function ContainersView() {
  const [tab, setTab] = useState<"containers" | "images">("containers");
  const [creating, setCreating] = useState(false);
  const canManage = useCan("container.manage");
  return (
    <div className="flex flex-col gap-4">
      <div className="flex items-center gap-2 border-b border-slate-200 dark:border-slate-800" role="tablist" aria-label="Containers sections">
        {(["containers", "images"] as const).map((t) => (
          <button key={t} role="tab" type="button" aria-selected={tab === t} onClick={() => setTab(t)} className={`px-3 py-2 text-sm capitalize ${tab === t ? "border-b-2 border-sky-600 font-medium" : "text-slate-500"}`}>
            {t}
          </button>
        ))}
        {tab === "containers" && !creating && canManage && (
          <div className="ml-auto pb-1">
            <Button onClick={() => setCreating(true)}>New container</Button>
          </div>
        )}
      </div>
      {tab === "containers" && creating && (
        <section className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
          <CreateContainer onDone={() => setCreating(false)} />
        </section>
      )}
      {tab === "containers" ? <ContainersTable /> : <ImagesPanel />}
    </div>
  );
}
