// Host verbs: one per route, each doing the database work, the hub call, the audit and
// the publish. The enrollment data functions (tokens, credentials) are ../agents/hosts.ts.
import type { HostFacts, HostRow } from "../../protocol";
import type { Services } from "../services";
import type { Host } from "../db/client";
import { audit } from "../audit";
import { ApiError } from "../http/errors";
import { createHost, enroll, hostRow, renewEnrollment } from "../agents/hosts";
import { enrollCommand } from "../agents/enroll-command";
import { reloadAccess } from "./access-rules";
import type { Caller } from "./caller";
import type { User } from "../db/client";
import { visibleContainers, visibleHostIds, visibleMachines } from "./visibility";

async function knownHost(svc: Services, hostId: string): Promise<Host> {
  const h = await svc.db.host.findUnique({ where: { id: hostId } });
  if (!h) throw new ApiError("not_found", `No host ${hostId}`, { hostId: "unknown host" });
  return h;
}

/**
 * The hosts the caller may see (host.read on it, or a VM or container on it they may read;
 * see visibleHostIds). Without host.read fleet-wide, a host's counts are of what they see.
 */
export async function listHosts(svc: Services, user: User): Promise<HostRow[]> {
  const hosts = await svc.db.host.findMany({ orderBy: { name: "asc" } });
  if (svc.access.can(user, "host.read") && svc.access.can(user, "vm.read") && svc.access.can(user, "container.read"))
    return hosts.map((h) => hostRow(h, svc.hub));
  const shown = visibleHostIds(
    svc,
    user,
    hosts.map((h) => h.id),
  );
  const count = (rows: { hostId: string }[], id: string) => rows.reduce((n, r) => n + (r.hostId === id ? 1 : 0), 0);
  const machines = visibleMachines(svc, user);
  const containers = visibleContainers(svc, user);
  return hosts
    .filter((h) => shown.has(h.id))
    .map((h) => ({ ...hostRow(h, svc.hub), machineCount: count(machines, h.id), containerCount: count(containers, h.id) }));
}

export async function getHost(svc: Services, hostId: string): Promise<HostRow> {
  return hostRow(await knownHost(svc, hostId), svc.hub);
}

/** A new host with a one-time enrollment token and the command that uses it from `origin`. */
export async function addHost(svc: Services, caller: Caller, name: string, origin: string) {
  const { host, token } = await createHost(svc.db, name);
  await audit(svc.db, {
    actor: caller.user.username,
    userId: caller.user.id,
    action: "host.create",
    target: host.name,
    outcome: "success",
    ip: caller.ip,
  });
  svc.bus.publish({ type: "host.changed", hostId: host.id });
  return { host: hostRow(host, svc.hub), enrollToken: token, command: enrollCommand(origin, token) };
}

/** Removing a host revokes its credential and disconnects its agent; its VMs are untouched. */
export async function removeHost(svc: Services, caller: Caller, hostId: string): Promise<void> {
  const h = await knownHost(svc, hostId);
  await svc.db.host.delete({ where: { id: h.id } });
  // Its tags and the grants on it go too: a host enrolled later gets a new id, never these.
  await svc.db.$transaction([
    svc.db.resourceTag.deleteMany({ where: { hostId: h.id } }),
    svc.db.roleAssignment.deleteMany({ where: { scopeType: "host", scopeId: h.id } }),
  ]);
  await reloadAccess(svc);
  svc.hub.forget(h.id);
  svc.metrics.hostRemoved(h.id);
  await svc.metrics.forgetHost(h.id);
  await audit(svc.db, {
    actor: caller.user.username,
    userId: caller.user.id,
    action: "host.delete",
    target: h.name,
    outcome: "success",
    ip: caller.ip,
  });
  svc.bus.publish({ type: "host.changed", hostId: h.id });
}

/** A fresh enrollment token for an existing host (re-install, lost credential). */
export async function renewHostEnrollment(svc: Services, caller: Caller, hostId: string, origin: string) {
  const h = await knownHost(svc, hostId);
  const token = await renewEnrollment(svc.db, h.id);
  await audit(svc.db, {
    actor: caller.user.username,
    userId: caller.user.id,
    action: "host.enrollment",
    target: h.name,
    outcome: "success",
    ip: caller.ip,
  });
  return { enrollToken: token, command: enrollCommand(origin, token) };
}

/**
 * An agent exchanges its one-time token for a credential. No session: the token is the
 * credential, so failures are throttled per address like sign-ins.
 */
export async function enrollAgent(svc: Services, token: string, facts: HostFacts | undefined, ip: string) {
  const key = `enroll:${ip}`;
  const wait = await svc.loginByAddress.retryAfter(key);
  if (wait > 0) throw new ApiError("rate_limited", `Too many failed enrollments: try again in ${wait} s`, undefined, { "Retry-After": String(wait) });
  try {
    const { host, credential } = await enroll(svc.db, token, facts);
    await audit(svc.db, { actor: `agent:${host.name}`, action: "host.enroll", target: host.name, outcome: "success", ip });
    svc.bus.publish({ type: "host.changed", hostId: host.id });
    return { hostId: host.id, credential, name: host.name };
  } catch (err) {
    await svc.loginByAddress.fail(key);
    await audit(svc.db, { actor: "agent", action: "host.enroll", outcome: "denied", ip });
    throw err;
  }
}

/** What the host's agent streams and what it costs it (watched targets, ticks, RSS, CPU). */
export function agentStats(svc: Services, hostId: string) {
  return svc.hub.call(hostId, "agent.stats", {}, 5000);
}
