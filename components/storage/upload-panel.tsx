"use client";
// Upload of an ISO or disk image into one pool: file picker or drag & drop, the volume's
// name (the file's by default, refused as the server would refuse it), a progress bar with
// rate and ETA, Cancel, "replace?" when the name is taken, and the SHA-256 at the end.
// Hidden for roles without storage.manage.
import { useTranslations } from "next-intl";
import { useRef, useState, type DragEvent, type KeyboardEvent } from "react";
import { useFormat } from "../i18n/format";
import { volumeNameProblem, type VolumeUploadResult } from "@/server/protocol/upload-methods";
import { useCan } from "../lib/queries";
import { rateOf, startVolumeUpload, UploadError, type VolumeUpload } from "../lib/volume-upload";
import { Button } from "../ui/form";
import { ConfirmDialog } from "../ui/confirm-dialog";

type Phase =
  | { kind: "idle" }
  | { kind: "sending"; sent: number; total: number; rate: number | null }
  | { kind: "finishing"; total: number }
  | { kind: "done"; volume: VolumeUploadResult }
  | { kind: "failed"; message: string };

const RATE_WINDOW_MS = 3000;

type Translate = ReturnType<typeof useTranslations<"storage">>;

function duration(seconds: number, t: Translate): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "—";
  const s = Math.round(seconds);
  if (s < 60) return t("upload.seconds", { s });
  const m = Math.floor(s / 60);
  if (m < 60) return t("upload.minutes", { m, s: s % 60 });
  return t("upload.hours", { h: Math.floor(m / 60), m: m % 60 });
}

export function UploadPanel({ hostId, pool, onDone }: { hostId: string; pool: string; onDone?: (v: VolumeUploadResult) => void }) {
  const allowed = useCan("storage.manage");
  const input = useRef<HTMLInputElement>(null);
  const current = useRef<VolumeUpload | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const [name, setName] = useState("");
  const [dragging, setDragging] = useState(false);
  const [phase, setPhase] = useState<Phase>({ kind: "idle" });
  const [askReplace, setAskReplace] = useState(false);
  const [copied, setCopied] = useState(false);
  const t = useTranslations("storage");
  const tc = useTranslations("common");
  const f = useFormat();
  if (!allowed) return null;

  const busy = phase.kind === "sending" || phase.kind === "finishing";
  const nameProblem = file ? volumeNameProblem(name) : null;

  const choose = (f: File | undefined) => {
    if (!f || busy) return;
    setFile(f);
    setName(f.name);
    setPhase({ kind: "idle" });
  };

  const run = (overwrite: boolean) => {
    if (!file || nameProblem) return;
    const samples: { t: number; bytes: number }[] = [];
    setCopied(false);
    setPhase({ kind: "sending", sent: 0, total: file.size, rate: null });
    const up = startVolumeUpload({ hostId, pool, name, overwrite, file }, (sent, total) => {
      const now = performance.now();
      samples.push({ t: now, bytes: sent });
      while (samples.length > 2 && now - samples[0]!.t > RATE_WINDOW_MS) samples.shift();
      // Every byte is sent: the host is writing the last of it and checking the size.
      if (sent >= total) setPhase({ kind: "finishing", total });
      else setPhase({ kind: "sending", sent, total, rate: rateOf(samples) });
    });
    current.current = up;
    up.done.then(
      (volume) => {
        current.current = null;
        setPhase({ kind: "done", volume });
        onDone?.(volume);
      },
      (err: unknown) => {
        current.current = null;
        const e = err instanceof UploadError ? err : new UploadError(String(err), 0);
        if (e.status === 409 && e.fields.name && !overwrite) {
          setPhase({ kind: "idle" });
          setAskReplace(true);
          return;
        }
        const field = Object.entries(e.fields)
          .map(([k, v]) => `${k}: ${v}`)
          .join("; ");
        setPhase({ kind: "failed", message: field ? `${e.message} (${field})` : e.message });
      },
    );
  };

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    choose(e.dataTransfer.files[0]);
  };
  const onKey = (e: KeyboardEvent) => {
    if (e.key === "Enter" || e.key === " ") {
      e.preventDefault();
      input.current?.click();
    }
  };

  return (
    <section
      aria-label={t("upload.region", { pool })}
      className="flex flex-col gap-3 rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900"
    >
      <h3 className="text-sm font-semibold">{t("upload.title")}</h3>
      <div
        role="button"
        tabIndex={busy ? -1 : 0}
        aria-disabled={busy}
        aria-label={t("upload.drop")}
        onClick={() => !busy && input.current?.click()}
        onKeyDown={onKey}
        onDragOver={(e) => {
          e.preventDefault();
          if (!busy) setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        className={`flex cursor-pointer flex-col items-center justify-center rounded border-2 border-dashed px-4 py-6 text-sm ${
          dragging ? "border-sky-500 bg-sky-50 dark:bg-sky-950" : "border-slate-300 dark:border-slate-700"
        } ${busy ? "cursor-not-allowed opacity-60" : ""}`}
      >
        {file ? (
          <span>
            <span className="font-medium">{file.name}</span> · {f.bytes(file.size)}
          </span>
        ) : (
          <span className="text-slate-500">{t("upload.dropHint")}</span>
        )}
        <input
          ref={input}
          type="file"
          className="hidden"
          accept=".iso,.img,.qcow2,.raw,application/octet-stream"
          onChange={(e) => choose(e.target.files?.[0])}
          data-testid="upload-file"
        />
      </div>
      {file && (
        <label className="flex flex-col gap-1 text-sm">
          {t("upload.volumeName")}
          <input
            value={name}
            disabled={busy}
            onChange={(e) => setName(e.target.value)}
            aria-invalid={!!nameProblem}
            aria-describedby={nameProblem ? "upload-name-error" : undefined}
            className="rounded border border-slate-300 bg-white px-2 py-1.5 font-mono text-sm dark:border-slate-700 dark:bg-slate-900"
          />
          {nameProblem && (
            <span id="upload-name-error" className="text-xs text-red-600">
              {nameProblem}
            </span>
          )}
        </label>
      )}
      <div className="flex items-center gap-2">
        <Button disabled={!file || !!nameProblem || busy} onClick={() => run(false)}>
          {t("upload.upload")}
        </Button>
        {busy && (
          <Button variant="secondary" onClick={() => current.current?.abort()}>
            {tc("actions.cancel")}
          </Button>
        )}
      </div>
      {phase.kind === "sending" && (
        <div className="flex flex-col gap-1 text-sm" aria-live="polite">
          <progress className="w-full" value={phase.sent} max={phase.total || 1} aria-label={t("upload.progress")} />
          <span className="text-slate-600 dark:text-slate-300">
            {t("upload.sent", {
              percent: phase.total ? Math.floor((phase.sent / phase.total) * 100) : 0,
              sent: f.bytes(phase.sent),
              total: f.bytes(phase.total),
            })}
            {phase.rate ? t("upload.rate", { rate: f.number(phase.rate / 1e6, 1), left: duration((phase.total - phase.sent) / phase.rate, t) }) : ""}
          </span>
        </div>
      )}
      {phase.kind === "finishing" && (
        <div className="flex flex-col gap-1 text-sm" aria-live="polite">
          <progress className="w-full" value={1} max={1} aria-label={t("upload.progress")} />
          <span className="text-slate-600 dark:text-slate-300">{t("upload.finishing")}</span>
        </div>
      )}
      {phase.kind === "done" && (
        <div className="flex flex-col gap-1 text-sm" role="status">
          <span className="text-green-700 dark:text-green-400">
            {t(phase.volume.replaced ? "upload.replaced" : "upload.uploaded", {
              name: phase.volume.name,
              format: phase.volume.format,
              size: f.bytes(phase.volume.bytes),
            })}
          </span>
          <span className="flex items-center gap-2">
            {/* i18n-ignore: the algorithm's name, the same in every language */}
            SHA-256
            <code className="break-all rounded bg-slate-100 px-1 py-0.5 text-xs dark:bg-slate-800" data-testid="upload-sha256">
              {phase.volume.sha256}
            </code>
            <Button
              variant="secondary"
              onClick={() =>
                void navigator.clipboard?.writeText(phase.volume.sha256).then(
                  () => setCopied(true),
                  () => undefined,
                )
              }
            >
              {copied ? tc("actions.copied") : tc("actions.copy")}
            </Button>
          </span>
        </div>
      )}
      {phase.kind === "failed" && (
        <p role="alert" className="text-sm text-red-600">
          {phase.message}
        </p>
      )}
      <ConfirmDialog
        open={askReplace}
        title={t("upload.replaceTitle", { name })}
        confirmLabel={t("upload.replaceConfirm")}
        danger
        onCancel={() => setAskReplace(false)}
        onConfirm={() => {
          setAskReplace(false);
          run(true);
        }}
      >
        {t("upload.replaceText", { pool, name })}
      </ConfirmDialog>
    </section>
  );
}
