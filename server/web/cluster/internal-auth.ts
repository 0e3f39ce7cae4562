// Authentication of the routes servers of one cluster call on each other (/internal/…,
// decision 0005). They are reached on each server's internal URL, never through the
// balancer, and carry the shared HANGAR_CLUSTER_SECRET in one header; a missing or wrong
// secret is refused before anything else is read. The secret is compared in constant time.
import { createHash, timingSafeEqual } from "node:crypto";

export const CLUSTER_HEADER = "x-hangar-cluster";
/** Every internal route lives under this prefix (HTTP and websocket upgrades alike). */
export const INTERNAL_PREFIX = "/internal/";

/** The headers a server sends on every internal request to a peer. */
export function clusterHeaders(secret: string): Record<string, string> {
  return { [CLUSTER_HEADER]: secret };
}

/** True when the request's header carries the cluster secret (false when none is configured). */
export function isClusterRequest(secret: string | null, header: string | string[] | undefined): boolean {
  if (!secret || typeof header !== "string") return false;
  // Hash both sides: timingSafeEqual needs equal lengths, and the length must not leak either.
  const a = createHash("sha256").update(header).digest();
  const b = createHash("sha256").update(secret).digest();
  return timingSafeEqual(a, b);
}
