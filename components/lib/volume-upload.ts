// Volume upload from the browser: the file as the raw body of one XHR (fetch has no upload
// progress), which the caller can abort. The server answers once the volume is complete.
import type { VolumeUploadResult } from "@/server/protocol/upload-methods";

export class UploadError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly fields: Record<string, string> = {},
  ) {
    super(message);
  }
}

export interface VolumeUpload {
  done: Promise<VolumeUploadResult>;
  abort(): void;
}

export function startVolumeUpload(
  o: { hostId: string; pool: string; name: string; overwrite: boolean; file: Blob },
  onProgress: (sent: number, total: number) => void,
): VolumeUpload {
  const xhr = new XMLHttpRequest();
  const done = new Promise<VolumeUploadResult>((resolve, reject) => {
    const q = new URLSearchParams({ name: o.name, ...(o.overwrite ? { overwrite: "1" } : {}) });
    xhr.open("POST", `/api/hosts/${encodeURIComponent(o.hostId)}/pools/${encodeURIComponent(o.pool)}/upload?${q}`);
    xhr.setRequestHeader("Content-Type", "application/octet-stream");
    xhr.setRequestHeader("X-Hangar-CSRF", "1");
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.total);
    xhr.onload = () => {
      let body: { volume?: VolumeUploadResult; error?: { message: string; fields?: Record<string, string> } } = {};
      try {
        body = JSON.parse(xhr.responseText) as typeof body;
      } catch {
        /* not JSON */
      }
      if (xhr.status >= 200 && xhr.status < 300 && body.volume) resolve(body.volume);
      // i18n-ignore: stands in for the server's error text when it sent none (API errors stay English)
      else reject(new UploadError(body.error?.message ?? `Upload failed (HTTP ${xhr.status})`, xhr.status, body.error?.fields));
    };
    // i18n-ignore: transport failures reported like API errors (English, as the server's)
    xhr.onerror = () => reject(new UploadError("Upload failed: the connection was lost", 0));
    // i18n-ignore: as above
    xhr.onabort = () => reject(new UploadError("Upload cancelled", 0));
    xhr.send(o.file);
  });
  return { done, abort: () => xhr.abort() };
}

/** Bytes per second over the last few seconds of samples (a whole-run average hides stalls). */
export function rateOf(samples: { t: number; bytes: number }[]): number | null {
  if (samples.length < 2) return null;
  const a = samples[0]!;
  const b = samples[samples.length - 1]!;
  const dt = (b.t - a.t) / 1000;
  return dt > 0 ? (b.bytes - a.bytes) / dt : null;
}
