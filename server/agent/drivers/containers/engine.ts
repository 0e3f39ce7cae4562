// Finding and naming the host's container engine. One Docker Engine API client (dockerode)
// drives Podman's compatible socket here and Docker engines on real hosts.
import fs from "node:fs";
import type Docker from "dockerode";
import type { EngineInfo, ErrorCode } from "../../../protocol";
import { DriverError } from "../driver";

/** Sockets tried in order when none is configured. */
export function candidateSockets(env: Record<string, string | undefined> = process.env): string[] {
  const out = ["/run/podman/podman.sock", "/var/run/docker.sock", "/run/docker.sock"];
  if (env.XDG_RUNTIME_DIR) out.push(`${env.XDG_RUNTIME_DIR}/podman/podman.sock`);
  return out;
}

export function findSocket(configured: string | null): string | null {
  if (configured) return configured;
  return (
    candidateSockets().find((p) => {
      try {
        return fs.statSync(p).isSocket();
      } catch {
        return false;
      }
    }) ?? null
  );
}

export async function engineInfo(docker: Docker, socket: string): Promise<EngineInfo> {
  const v = (await docker.version()) as { Version?: string; ApiVersion?: string; Components?: { Name?: string }[] };
  const podman = (v.Components ?? []).some((c) => /podman/i.test(c.Name ?? ""));
  return { kind: podman ? "podman" : v.Components ? "docker" : "unknown", version: v.Version ?? "?", apiVersion: v.ApiVersion ?? "?", socket };
}

interface EngineError {
  statusCode?: number;
  json?: { message?: string } | null;
  reason?: string;
  message?: string;
  code?: string;
}

/** The engine's refusal as a protocol error, keeping the engine's own words. */
export function engineError(err: unknown, what: string): DriverError {
  if (err instanceof DriverError) return err;
  const e = err as EngineError;
  const msg = (e.json?.message ?? e.reason ?? e.message ?? String(err)).toString().trim();
  const status = e.statusCode;
  const code: ErrorCode = /already in use|already exists/i.test(msg)
    ? "conflict"
    : status === 404
      ? "not_found"
      : status === 409
        ? "conflict"
        : status === 400
          ? "invalid_input"
          : status === 304
            ? "invalid_state"
            : status
              ? "engine_error"
              : e.code === "ENOENT" || e.code === "ECONNREFUSED"
                ? "engine_unavailable"
                : "engine_error";
  return new DriverError(code, status === 304 ? `${what}: already in that state` : `${what}: ${msg}`);
}
