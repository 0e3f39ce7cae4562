import { z } from "zod";
import { ContainerId } from "../../protocol";
import { ApiError } from "../http/errors";
import type { AgentHub } from "./hub";

export const HostParams = z.object({ hostId: z.string().min(1).max(64) });
export const ContainerParams = z.object({ hostId: z.string().min(1).max(64), id: ContainerId });
export const containerResource = (p: z.infer<typeof ContainerParams>) => ({ type: "container" as const, id: p.id, hostId: p.hostId });

/** The container as last reported by its host, or a 404 naming the field. */
export function knownContainer(hub: AgentHub, hostId: string, id: string) {
  const c = hub.container(hostId, id);
  if (!c) throw new ApiError("not_found", `No container ${id} on this host`, { id: "unknown container" });
  return c;
}

export function idempotencyKey(req: Request): string | null {
  const key = req.headers.get("idempotency-key");
  if (key !== null && !/^[A-Za-z0-9_.:-]{8,128}$/.test(key)) throw new ApiError("invalid", "Idempotency-Key must be 8-128 letters, digits or ._:-", { "Idempotency-Key": "8-128 characters [A-Za-z0-9_.:-]" });
  return key;
}
