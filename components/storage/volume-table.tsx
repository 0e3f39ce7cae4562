"use client";
// The volumes of one running pool, with who uses each and the volume verbs for those who
// may manage storage.
import Link from "next/link";
import type { VolumeSummary } from "@/server/protocol/volume";
import { Button, EmptyState } from "../ui/form";
import { formatBytes } from "./format";

export interface VolumeVerbs {
  resize(v: VolumeSummary): void;
  clone(v: VolumeSummary): void;
  remove(v: VolumeSummary): void;
}

export function UsedBy({ hostId, volume }: { hostId: string; volume: VolumeSummary }) {
  if (!volume.usedBy.length) return <span className="text-slate-500">—</span>;
  return (
    <ul className="flex flex-wrap gap-x-2">
      {volume.usedBy.map((u) => (
        <li key={u.uuid}>
          <Link className="text-sky-700 hover:underline dark:text-sky-400" href={`/machines/${encodeURIComponent(hostId)}/${u.uuid}`}>
            {u.name}
          </Link>
        </li>
      ))}
    </ul>
  );
}

export function VolumeTable({
  hostId,
  volumes,
  canManage,
  verbs,
}: {
  hostId: string;
  volumes: VolumeSummary[];
  canManage: boolean;
  verbs: VolumeVerbs;
}) {
  if (!volumes.length)
    return (
      <EmptyState title="No volumes in this pool">
        {canManage ? "Create one, or copy an image into its directory and refresh the pool." : null}
      </EmptyState>
    );
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 dark:border-slate-800">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Volumes</caption>
        <thead className="bg-slate-50 text-xs uppercase text-slate-500 dark:bg-slate-900">
          <tr>
            <th className="px-3 py-2">Name</th>
            <th className="px-3 py-2">Format</th>
            <th className="px-3 py-2 text-right">Size</th>
            <th className="px-3 py-2 text-right">On disk</th>
            <th className="px-3 py-2">Used by</th>
            {canManage && <th className="px-3 py-2 text-right">Actions</th>}
          </tr>
        </thead>
        <tbody>
          {volumes.map((v) => (
            <tr key={v.path} data-testid="volume-row" data-name={v.name} className="border-t border-slate-200 dark:border-slate-800">
              <td className="px-3 py-2">
                <div className="font-medium">{v.name}</div>
                <div className="max-w-80 truncate font-mono text-xs text-slate-500" title={v.path}>
                  {v.path}
                </div>
              </td>
              <td className="px-3 py-2">{v.format}</td>
              <td className="px-3 py-2 text-right tabular-nums">{formatBytes(v.capacity)}</td>
              <td className="px-3 py-2 text-right tabular-nums">{formatBytes(v.allocation)}</td>
              <td className="px-3 py-2">
                <UsedBy hostId={hostId} volume={v} />
              </td>
              {canManage && (
                <td className="px-3 py-2">
                  <div className="flex justify-end gap-1">
                    {v.format !== "iso" && (
                      <Button variant="secondary" onClick={() => verbs.resize(v)}>
                        Grow
                      </Button>
                    )}
                    <Button variant="secondary" onClick={() => verbs.clone(v)}>
                      Clone
                    </Button>
                    <Button variant="danger" onClick={() => verbs.remove(v)} aria-label={`Delete ${v.name}`}>
                      Delete
                    </Button>
                  </div>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
