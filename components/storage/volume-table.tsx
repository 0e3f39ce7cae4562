"use client";
// The volumes of one running pool, with who uses each and the volume verbs for those who
// may manage storage.
import Link from "next/link";
import { useTranslations } from "next-intl";
import { useFormat } from "../i18n/format";
import type { VolumeSummary } from "@/server/protocol/volume";
import { Button, EmptyState } from "../ui/form";

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
  const t = useTranslations("storage");
  const f = useFormat();
  if (!volumes.length) return <EmptyState title={t("volumes.emptyTitle")}>{canManage ? t("volumes.emptyText") : null}</EmptyState>;
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 dark:border-slate-800">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">{t("volumes.caption")}</caption>
        <thead className="bg-slate-50 text-xs uppercase text-slate-500 dark:bg-slate-900">
          <tr>
            <th className="px-3 py-2">{t("volumes.name")}</th>
            <th className="px-3 py-2">{t("volumes.format")}</th>
            <th className="px-3 py-2 text-right">{t("volumes.size")}</th>
            <th className="px-3 py-2 text-right">{t("volumes.onDisk")}</th>
            <th className="px-3 py-2">{t("volumes.usedByColumn")}</th>
            {canManage && <th className="px-3 py-2 text-right">{t("volumes.actions")}</th>}
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
              <td className="px-3 py-2 text-right tabular-nums">{f.bytes(v.capacity)}</td>
              <td className="px-3 py-2 text-right tabular-nums">{f.bytes(v.allocation)}</td>
              <td className="px-3 py-2">
                <UsedBy hostId={hostId} volume={v} />
              </td>
              {canManage && (
                <td className="px-3 py-2">
                  <div className="flex justify-end gap-1">
                    {v.format !== "iso" && (
                      <Button variant="secondary" onClick={() => verbs.resize(v)}>
                        {t("volumes.grow")}
                      </Button>
                    )}
                    <Button variant="secondary" onClick={() => verbs.clone(v)}>
                      {t("volumes.clone")}
                    </Button>
                    <Button variant="danger" onClick={() => verbs.remove(v)} aria-label={t("volumes.deleteLabel", { name: v.name })}>
                      {t("volumes.delete")}
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
