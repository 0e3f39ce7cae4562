"use client";
// Fetch functions and query hooks for containers and images. Container rows stay fresh by
// push (container.upsert/remove on the event socket); images are refetched after changes.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ContainerRow, TaskRow } from "@/server/protocol/browser-events";
import type { ContainerAction, ContainerCreateSpec, ImageSummary } from "@/server/protocol/container";
import { api } from "./api";
import { keys } from "./query-keys";

const enc = encodeURIComponent;
export const fetchContainers = () => api<{ rows: ContainerRow[]; total: number }>("/api/containers");
export const fetchContainer = (hostId: string, id: string) =>
  api<{ container: ContainerRow; inspect: Record<string, unknown> | null }>(`/api/containers/${enc(hostId)}/${enc(id)}`);
export const fetchImages = (hostId: string) => api<{ images: ImageSummary[] }>(`/api/hosts/${enc(hostId)}/images`);

export function useContainers() {
  return useQuery({ queryKey: keys.containers.list(), queryFn: fetchContainers });
}

export function useContainer(hostId: string, id: string) {
  return useQuery({ queryKey: keys.containers.detail(hostId, id), queryFn: () => fetchContainer(hostId, id) });
}

export function useImages(hostId: string | null) {
  return useQuery({ queryKey: keys.containers.images(hostId ?? ""), queryFn: () => fetchImages(hostId!), enabled: !!hostId });
}

export function useContainerAction() {
  return useMutation({
    mutationFn: ({ hostId, id, action }: { hostId: string; id: string; action: ContainerAction }) =>
      action === "remove"
        ? api<{ task: TaskRow }>(`/api/containers/${enc(hostId)}/${enc(id)}?force=1`, {
            method: "DELETE",
            headers: { "Idempotency-Key": `${id.slice(0, 12)}:remove:${crypto.randomUUID()}` },
          })
        : api<{ task: TaskRow }>(`/api/containers/${enc(hostId)}/${enc(id)}/actions`, {
            method: "POST",
            body: { action },
            headers: { "Idempotency-Key": `${id.slice(0, 12)}:${action}:${crypto.randomUUID()}` },
          }),
  });
}

export function useRenameContainer() {
  return useMutation({
    mutationFn: ({ hostId, id, name }: { hostId: string; id: string; name: string }) =>
      api(`/api/containers/${enc(hostId)}/${enc(id)}`, { method: "PATCH", body: { name } }),
  });
}

export function useCreateContainer() {
  return useMutation({
    mutationFn: ({ hostId, spec }: { hostId: string; spec: Partial<ContainerCreateSpec> }) =>
      api<{ task: TaskRow; container: ContainerRow | null }>(`/api/containers/${enc(hostId)}`, { method: "POST", body: spec }),
  });
}

export function useImageMutations(hostId: string | null) {
  const qc = useQueryClient();
  const refresh = () => qc.invalidateQueries({ queryKey: keys.containers.images(hostId ?? "") });
  return {
    remove: useMutation({
      mutationFn: ({ id, force }: { id: string; force: boolean }) =>
        api(`/api/hosts/${enc(hostId!)}/images/${enc(id)}?force=${force ? 1 : 0}`, { method: "DELETE" }),
      onSettled: refresh,
    }),
    pull: useMutation({
      mutationFn: (ref: string) => api<{ task: TaskRow }>(`/api/hosts/${enc(hostId!)}/images/pull`, { method: "POST", body: { ref } }),
      onSettled: refresh,
    }),
    refresh,
  };
}

/** Uploads an image archive with progress (XHR: fetch has no upload progress). */
export function uploadImage(
  hostId: string,
  file: File,
  mode: "load" | "import",
  name: string,
  onProgress: (sent: number, total: number) => void,
): Promise<{ images: string[] }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    const q = new URLSearchParams({ mode, ...(mode === "import" ? { name } : {}) });
    xhr.open("POST", `/api/hosts/${enc(hostId)}/images?${q}`);
    xhr.setRequestHeader("Content-Type", "application/x-tar");
    xhr.setRequestHeader("X-Hangar-CSRF", "1");
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.total);
    xhr.onload = () => {
      let body: { images?: string[]; error?: { message: string } } = {};
      try {
        body = JSON.parse(xhr.responseText) as typeof body;
      } catch {
        /* not JSON */
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve({ images: body.images ?? [] });
      // i18n-ignore: stands in for the server's error text when it sent none (API errors stay English)
      else reject(new Error(body.error?.message ?? `Upload failed (${xhr.status})`));
    };
    // i18n-ignore: transport failures reported like API errors (English, as the server's)
    xhr.onerror = () => reject(new Error("Upload failed: connection lost"));
    xhr.send(file);
  });
}
