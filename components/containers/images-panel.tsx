"use client";
// Images of one host: list, remove (with confirmation), pull, and upload a tar with progress.
import { useTranslations } from "next-intl";
import { useRef, useState } from "react";
import { useFormat } from "../i18n/format";
import { useHosts } from "../lib/resources";
import { uploadImage, useImageMutations, useImages } from "../lib/container-resources";
import { Button, EmptyState } from "../ui/form";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { useToast } from "../ui/toasts";

export function ImagesPanel() {
  const hosts = useHosts();
  const withEngine = (hosts.data?.hosts ?? []).filter((h) => h.status === "online" && h.engine);
  const [hostId, setHostId] = useState("");
  const chosen = hostId || withEngine[0]?.id || null;
  const images = useImages(chosen);
  const m = useImageMutations(chosen);
  const toast = useToast();
  const t = useTranslations("containers");
  const f = useFormat();
  const [confirm, setConfirm] = useState<{ id: string; label: string } | null>(null);
  const [ref, setRef] = useState("");
  const [progress, setProgress] = useState<number | null>(null);
  const [mode, setMode] = useState<"load" | "import">("load");
  const [importName, setImportName] = useState("");
  const file = useRef<HTMLInputElement>(null);

  if (!withEngine.length) return <EmptyState title={t("images.noEngineTitle")}>{t("images.noEngineText")}</EmptyState>;
  const upload = async () => {
    const f = file.current?.files?.[0];
    if (!f || !chosen) return;
    setProgress(0);
    try {
      const r = await uploadImage(chosen, f, mode, importName, (sent, total) => setProgress(total ? sent / total : 0));
      toast(t("images.loaded", { images: r.images.join(", ") }), "success");
      void m.refresh();
    } catch (err) {
      toast((err as Error).message, "error");
    } finally {
      setProgress(null);
    }
  };
  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-wrap items-end gap-3">
        <label className="flex flex-col gap-1 text-sm">
          {t("images.host")}
          <select
            value={chosen ?? ""}
            onChange={(e) => setHostId(e.target.value)}
            className="rounded border border-slate-300 bg-white px-2 py-1.5 dark:border-slate-700 dark:bg-slate-900"
          >
            {withEngine.map((h) => (
              <option key={h.id} value={h.id}>
                {h.name}
              </option>
            ))}
          </select>
        </label>
        <form
          className="flex items-end gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            m.pull.mutate(ref.trim(), {
              onSuccess: () => toast(t("images.pulling", { ref }), "success"),
              onError: (err) => toast(err.message, "error"),
            });
          }}
        >
          <label className="flex flex-col gap-1 text-sm">
            {t("images.pull")}
            <input
              value={ref}
              onChange={(e) => setRef(e.target.value)}
              // i18n-ignore: an example image reference
              placeholder="docker.io/library/alpine:3"
              className="w-64 rounded border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-900"
            />
          </label>
          <Button type="submit" variant="secondary" disabled={!ref.trim() || m.pull.isPending}>
            {t("images.pullButton")}
          </Button>
        </form>
        <div className="flex items-end gap-2">
          <label className="flex flex-col gap-1 text-sm">
            {t("images.uploadArchive")}
            <input ref={file} type="file" accept=".tar,application/x-tar" className="text-sm" aria-label={t("images.archive")} />
          </label>
          <select
            aria-label={t("images.archiveKind")}
            value={mode}
            onChange={(e) => setMode(e.target.value as "load" | "import")}
            className="rounded border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-900"
          >
            <option value="load">{t("images.kindLoad")}</option>
            <option value="import">{t("images.kindImport")}</option>
          </select>
          {mode === "import" && (
            <input
              aria-label={t("images.newImageName")}
              value={importName}
              onChange={(e) => setImportName(e.target.value)}
              // i18n-ignore
              placeholder="localhost/app:1"
              className="w-44 rounded border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-900"
            />
          )}
          <Button type="button" variant="secondary" disabled={progress !== null} onClick={() => void upload()}>
            {progress !== null ? t("images.uploading", { percent: Math.round(progress * 100) }) : t("images.upload")}
          </Button>
        </div>
      </div>
      {progress !== null && <progress className="w-full" value={progress} max={1} aria-label={t("images.uploadProgress")} />}
      {images.isPending ? (
        <p className="text-sm text-slate-500">{t("images.loading")}</p>
      ) : images.error ? (
        <p className="text-sm text-red-600">{images.error.message}</p>
      ) : (
        <table
          className="w-full rounded-lg border border-slate-200 bg-white text-left text-sm dark:border-slate-800 dark:bg-slate-900"
          aria-label={t("images.label")}
        >
          <thead className="text-slate-500">
            <tr>
              <th className="px-3 py-2 font-medium">{t("images.tags")}</th>
              <th className="px-3 py-2 font-medium">{t("images.id")}</th>
              <th className="px-3 py-2 font-medium">{t("images.size")}</th>
              <th className="px-3 py-2 font-medium">{t("images.created")}</th>
              <th className="px-3 py-2 font-medium" />
            </tr>
          </thead>
          <tbody>
            {images.data?.images.map((i) => (
              <tr key={i.id} className="border-t border-slate-100 dark:border-slate-800" data-testid="image-row">
                <td className="px-3 py-2">{i.tags.join(", ") || <span className="text-slate-500">{t("images.untagged")}</span>}</td>
                <td className="px-3 py-2 font-mono text-xs">{i.id.slice(0, 12)}</td>
                <td className="px-3 py-2">{f.bytes(i.size)}</td>
                <td className="px-3 py-2 text-xs text-slate-500">{f.ago(i.createdAt)}</td>
                <td className="px-3 py-2 text-right">
                  <Button variant="danger" onClick={() => setConfirm({ id: i.id, label: i.tags[0] ?? i.id.slice(0, 12) })}>
                    {t("images.remove")}
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ConfirmDialog
        open={!!confirm}
        title={t("images.removeTitle", { label: confirm?.label ?? "" })}
        confirmLabel={t("images.removeConfirm")}
        danger
        onCancel={() => setConfirm(null)}
        onConfirm={() => {
          if (confirm) m.remove.mutate({ id: confirm.id, force: false }, { onError: (err) => toast(err.message, "error") });
          setConfirm(null);
        }}
      >
        {t("images.removeText")}
      </ConfirmDialog>
    </div>
  );
}
