// Live migration of a running VM to another libvirt host, as ONE task on the source host
// (kind vm.migrate, target the VM): the source agent's libvirtd connects to the target's
// libvirtd itself (peer to peer), so the target's agent takes no part in the call. Its URI
// comes from the target host's facts (that agent's HANGAR_MIGRATION_URI), never from the
// request. Afterwards both inventories follow from each host's own libvirt events: the VM
// disappears from the source's and appears in the target's.
import type { z } from "zod";
import { HostFacts, type MigrateRequest, type MigrateResult } from "../../protocol";
import type { Services } from "../services";
import { authorize } from "../auth/permissions";
import { refusalField } from "../http/agent-errors";
import { ApiError } from "../http/errors";
import type { Caller } from "./caller";

/** A migration copies all guest memory, more than once while it is written to: allow for big VMs on slow links. */
export const MIGRATE_TIMEOUT_MS = 6 * 60 * 60 * 1000;

export interface MigrateMachine {
  hostId: string;
  uuid: string;
  req: z.output<typeof MigrateRequest>;
  idempotencyKey: string | null;
}

const bad = (code: "bad_request" | "conflict" | "not_found" | "forbidden", message: string) =>
  new ApiError(code, `targetHostId: ${message}`, { targetHostId: message });

function factsOf(json: string): HostFacts | null {
  try {
    const f = HostFacts.safeParse(JSON.parse(json));
    return f.success ? f.data : null;
  } catch {
    return null;
  }
}

export async function migrateMachine(svc: Services, caller: Caller, m: MigrateMachine) {
  const prior = await svc.tasks.replay(caller.user, m.idempotencyKey);
  if (prior) return prior;
  const vm = svc.hub.domain(m.hostId, m.uuid);
  if (!vm) throw new ApiError("not_found", `No machine ${m.uuid} on this host`, { uuid: "unknown machine" });
  if (vm.engine === "kubevirt")
    throw new ApiError("conflict", `${vm.name} runs on KubeVirt, which migrates its VMs inside the cluster`, { uuid: "KubeVirt machine" });
  if (vm.state !== "running" && vm.state !== "paused")
    throw new ApiError("conflict", `${vm.name} is ${vm.state}: only a running VM migrates live`, { uuid: `${vm.state}, not running` });
  const { targetHostId } = m.req;
  if (targetHostId === m.hostId) throw bad("bad_request", "the VM already runs on this host");
  const target = await svc.db.host.findUnique({ where: { id: targetHostId } });
  if (!target) throw bad("not_found", `no host ${targetHostId}`);
  // The route checked vm.migrate on the VM; moving it there needs vm.migrate on the target too.
  if (!authorize(svc.access, caller.user, "vm.migrate", { type: "host", id: targetHostId }))
    throw bad("forbidden", `you lack vm.migrate on host ${target.name}`);
  if (!svc.hub.isOnline(targetHostId)) throw bad("conflict", `host ${target.name} is offline: its agent is not connected`);
  const facts = factsOf(target.factsJson);
  const source = factsOf((await svc.db.host.findUnique({ where: { id: m.hostId }, select: { factsJson: true } }))?.factsJson ?? "{}");
  if (!facts?.libvirtVersion || !svc.hub.libvirtConnected(targetHostId)) throw bad("conflict", `host ${target.name} has no libvirt connected`);
  if (!facts.migrationUri)
    throw bad(
      "conflict",
      `host ${target.name} accepts no migrations: set HANGAR_MIGRATION_URI in its agent's settings to the libvirt URI other hosts reach it at`,
    );
  if (facts.libvirtHostUuid && facts.libvirtHostUuid === source?.libvirtHostUuid)
    throw bad("bad_request", `host ${target.name} is the same libvirt host as this one (one libvirtd, two host records)`);
  if (source && facts.arch !== source.arch) throw bad("conflict", `host ${target.name} is ${facts.arch}, this VM runs on ${source.arch}`);
  if (vm.virtType === "kvm" && !facts.kvm.usable)
    throw bad("conflict", `host ${target.name} cannot run KVM guests (${facts.kvm.reason ?? "KVM unusable"})`);
  for (const d of svc.hub.domains(targetHostId).values())
    if (d.uuid === vm.uuid || d.name === vm.name) throw bad("conflict", `host ${target.name} already has a machine ${d.name} (${d.uuid})`);
  const destinationUri = facts.migrationUri;
  try {
    return await svc.tasks.run({
      user: caller.user,
      ip: caller.ip,
      hostId: m.hostId,
      kind: "vm.migrate",
      targetType: "vm",
      targetId: vm.uuid,
      targetName: vm.name,
      idempotencyKey: m.idempotencyKey,
      input: { ...m.req, targetHost: target.name },
      timeoutMs: MIGRATE_TIMEOUT_MS,
      // A cancel aborts libvirt's job: the VM keeps running on the source.
      cancellable: true,
      call: (timeoutMs, taskId, signal) =>
        svc.hub.call(
          m.hostId,
          "domain.migrate",
          { uuid: vm.uuid, destinationUri, persist: m.req.persist, undefineSource: m.req.undefineSource, bandwidthMiBps: m.req.bandwidthMiBps },
          timeoutMs,
          // libvirt's bytes sent of the migration's total, as the task's live progress.
          { signal, onProgress: (done, total) => svc.tasks.progress(taskId, done, total) },
        ),
      describe: (r) => ({ ...(r as MigrateResult), targetHostId, targetHost: target.name }),
    });
  } catch (err) {
    // The agent names destinationUri where the target is the cause (unreachable, same host, CPU).
    throw refusalField(err, { rename: (f) => (f === "destinationUri" ? "targetHostId" : f) });
  }
}
