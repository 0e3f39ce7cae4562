// Storage pool verbs: one per route. Changes run as tasks through TaskService.run; reads go straight to the host's agent (pools are not
// kept in the hub's inventory: they change rarely and are cheap to ask for).
import type { PoolAction } from "../../protocol";
import type { Services } from "../services";
import type { Caller } from "./caller";
import { getHost } from "./hosts";

/** The host's pools as its agent sees them now; an unknown host is a 404 naming hostId, an offline one a 503. */
export async function listPools(svc: Services, hostId: string) {
  await getHost(svc, hostId);
  return svc.hub.call(hostId, "pool.list", {}, 15_000);
}

/** Defines a directory pool as a task (audited, idempotent, one per pool name at a time). */
export async function definePool(svc: Services, caller: Caller, o: { hostId: string; name: string; path: string; idempotencyKey: string | null }) {
  await getHost(svc, o.hostId);
  return svc.tasks.run({
    user: caller.user,
    ip: caller.ip,
    hostId: o.hostId,
    kind: "pool.define",
    targetType: "pool",
    targetId: o.name,
    targetName: o.name,
    idempotencyKey: o.idempotencyKey,
    input: { name: o.name, path: o.path },
    call: (timeoutMs) => svc.hub.call(o.hostId, "pool.define", { name: o.name, path: o.path }, timeoutMs),
  });
}

/** Starts or stops a pool as a task. */
export async function poolAction(
  svc: Services,
  caller: Caller,
  o: { hostId: string; pool: string; action: PoolAction; idempotencyKey: string | null },
) {
  await getHost(svc, o.hostId);
  return svc.tasks.run({
    user: caller.user,
    ip: caller.ip,
    hostId: o.hostId,
    kind: `pool.${o.action}`,
    targetType: "pool",
    targetId: o.pool,
    targetName: o.pool,
    idempotencyKey: o.idempotencyKey,
    input: { action: o.action },
    call: (timeoutMs) => svc.hub.call(o.hostId, "pool.action", { name: o.pool, action: o.action }, timeoutMs),
  });
}

/** Refresh is a pool.action too: files copied into the directory become volumes. */
export async function setPoolAutostart(
  svc: Services,
  caller: Caller,
  o: { hostId: string; pool: string; enabled: boolean; idempotencyKey: string | null },
) {
  await getHost(svc, o.hostId);
  return svc.tasks.run({
    user: caller.user,
    ip: caller.ip,
    hostId: o.hostId,
    kind: "pool.autostart",
    targetType: "pool",
    targetId: o.pool,
    targetName: o.pool,
    idempotencyKey: o.idempotencyKey,
    input: { enabled: o.enabled },
    call: (timeoutMs) => svc.hub.call(o.hostId, "pool.autostart", { name: o.pool, enabled: o.enabled }, timeoutMs),
  });
}

/** Forgets a pool (files stay on disk): refused (409) while it holds volumes; an active empty pool is stopped first. */
export async function undefinePool(svc: Services, caller: Caller, o: { hostId: string; pool: string; idempotencyKey: string | null }) {
  await getHost(svc, o.hostId);
  return svc.tasks.run({
    user: caller.user,
    ip: caller.ip,
    hostId: o.hostId,
    kind: "pool.undefine",
    targetType: "pool",
    targetId: o.pool,
    targetName: o.pool,
    idempotencyKey: o.idempotencyKey,
    input: {},
    call: (timeoutMs) => svc.hub.call(o.hostId, "pool.undefine", { name: o.pool }, timeoutMs),
  });
}
