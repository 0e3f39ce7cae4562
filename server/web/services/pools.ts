// Storage pool verbs: one per route. Reads go straight to the host's agent (pools are not
// kept in the hub's inventory: they change rarely and are cheap to ask for).
import type { Services } from "../services";
import { getHost } from "./hosts";

/** The host's pools as its agent sees them now; an unknown host is a 404 naming hostId, an offline one a 503. */
export async function listPools(svc: Services, hostId: string) {
  await getHost(svc, hostId);
  return svc.hub.call(hostId, "pool.list", {}, 15_000);
}
