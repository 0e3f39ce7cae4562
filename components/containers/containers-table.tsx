"use client";
// Every container of every host: search, state filter, live rows (pushed by the engine's
// events), CPU sparklines for running ones, actions with confirmation for destructive ones.
import Link from "next/link";
import { containerTarget, useGrants } from "../lib/queries";
import { allows } from "@/server/protocol/access";
import { TagChips } from "../ui/tag-chips";
import { useMemo, useState } from "react";
import { useContainers } from "../lib/container-resources";
import { EmptyState } from "../ui/form";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { FilterSelect, SearchBox, STATE_FILTERS } from "../ui/filters";
import { Sparkline } from "../metrics/sparkline";
import { ago } from "../machines/state-badge";
import { actionsForContainer, ContainerStateBadge } from "./container-state";
import { useContainerActions } from "./use-container-actions";

const collator = new Intl.Collator("en", { numeric: true, sensitivity: "base" });

export function ContainersTable() {
  const { data, isPending, error } = useContainers();
  const [q, setQ] = useState("");
  const [state, setState] = useState("all");
  const [host, setHost] = useState("all");
  const hosts = useMemo(
    () => [...new Map((data?.rows ?? []).map((r) => [r.hostId, r.hostName])).entries()].sort((a, b) => collator.compare(a[1], b[1])),
    [data],
  );
  const runner = useContainerActions();
  // Actions per row: the caller's grants on that container (its host and tags).
  const grants = useGrants();
  const canManage = (c: { id: string; hostId: string; tags: string[] }) =>
    grants !== null && allows(grants, "container.manage", containerTarget(c), c.tags);
  const rows = useMemo(() => {
    const needle = q.trim().toLowerCase();
    return (data?.rows ?? [])
      .filter(
        (r) =>
          (host === "all" || r.hostId === host) &&
          (state === "all" || (state === "stopped" ? ["exited", "dead", "created"].includes(r.state) : r.state === state)) &&
          (!needle ||
            r.name.toLowerCase().includes(needle) ||
            r.image.toLowerCase().includes(needle) ||
            r.hostName.toLowerCase().includes(needle) ||
            r.id.startsWith(needle)),
      )
      .sort((a, b) => collator.compare(a.hostName, b.hostName) || collator.compare(a.name, b.name));
  }, [data, q, state, host]);

  if (error) return <EmptyState title="Could not load containers">{error.message}</EmptyState>;
  if (isPending) return <p className="text-sm text-slate-500">Loading containers…</p>;
  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-wrap items-center gap-2">
        <SearchBox label="Search containers" placeholder="Search name, image, host or id" value={q} onChange={setQ} />
        <FilterSelect label="Filter by state" value={state} onChange={setState} options={STATE_FILTERS} />
        {hosts.length > 1 && <FilterSelect label="Filter by host" value={host} onChange={setHost} options={[["all", "All hosts"], ...hosts]} />}
        <span className="text-sm text-slate-500" data-testid="container-count">
          {rows.length} of {data.total}
        </span>
      </div>
      {!data.rows.length ? (
        <EmptyState title="No containers yet">Create one above, or start one on a host with Podman or Docker: it appears here at once.</EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
          <table className="w-full text-left text-sm" aria-label="Containers">
            <thead className="border-b border-slate-200 text-slate-500 dark:border-slate-800">
              <tr>
                <th className="px-3 py-2 font-medium">Name</th>
                <th className="px-3 py-2 font-medium">Image</th>
                <th className="px-3 py-2 font-medium">State</th>
                <th className="px-3 py-2 font-medium">Host</th>
                <th className="px-3 py-2 font-medium">Ports</th>
                <th className="px-3 py-2 font-medium">Created</th>
                <th className="px-3 py-2 font-medium" title="% of the container's CPU limit (or all host cores), last minute">
                  CPU
                </th>
                <th className="px-3 py-2 font-medium">Actions</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((c) => (
                <tr
                  key={`${c.hostId}/${c.id}`}
                  data-testid="container-row"
                  data-name={c.name}
                  className="border-b border-slate-100 last:border-0 dark:border-slate-800"
                >
                  <td className="px-3 py-2">
                    <Link
                      href={`/containers/${c.hostId}/${c.id}`}
                      prefetch={false}
                      className="font-medium text-sky-700 hover:underline dark:text-sky-400"
                    >
                      {c.name}
                    </Link>
                    <div className="flex items-center gap-2 font-mono text-xs text-slate-500">
                      {c.id.slice(0, 12)}
                      <TagChips tags={c.tags} />
                    </div>
                  </td>
                  <td className="max-w-[16rem] truncate px-3 py-2" title={c.image}>
                    {c.image}
                  </td>
                  <td className="px-3 py-2">
                    <ContainerStateBadge state={c.state} stale={c.stale} health={c.health} />
                  </td>
                  <td className="px-3 py-2">
                    {c.hostName}
                    {c.stale && <span className="ml-1 text-xs text-amber-600">(offline, {ago(c.observedAt)})</span>}
                  </td>
                  <td className="px-3 py-2 font-mono text-xs">
                    {c.ports
                      .filter((p) => p.publicPort)
                      .map((p) => `${p.publicPort}→${p.privatePort}/${p.type}`)
                      .join(", ") || "—"}
                  </td>
                  <td className="px-3 py-2 text-xs text-slate-500">{ago(c.createdAt)}</td>
                  <td className="px-3 py-2">
                    {c.state === "running" && !c.stale ? (
                      <Sparkline series={`ct/${c.hostId}/${c.id}`} index={0} unit="percent" max={100} label={`CPU of ${c.name}`} />
                    ) : (
                      <span className="text-xs text-slate-400">—</span>
                    )}
                  </td>
                  <td className="px-3 py-2">
                    <span className="flex flex-wrap gap-1">
                      {!c.stale &&
                        canManage(c) &&
                        actionsForContainer(c.state).map((a) => (
                          <button
                            key={a.action}
                            type="button"
                            onClick={() => runner.run(a, c)}
                            aria-label={`${a.label} ${c.name}`}
                            className={`rounded border px-2 py-0.5 text-xs ${a.confirm ? "border-red-300 text-red-700 hover:bg-red-50 dark:border-red-800 dark:text-red-300" : "border-slate-300 hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"}`}
                          >
                            {a.label}
                          </button>
                        ))}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ConfirmDialog
        open={!!runner.pending}
        title={`${runner.pending?.spec.label ?? ""} ${runner.pending?.c.name ?? ""}?`}
        confirmLabel={runner.pending?.spec.label ?? "Confirm"}
        danger
        onConfirm={runner.confirm}
        onCancel={runner.cancel}
      >
        {runner.pending?.spec.confirm}
      </ConfirmDialog>
    </div>
  );
}
